namespace Mesos.Scheduler.Lite.Tests;

/// <summary>Offer matching as tables, including the seed's known bugs proven fixed.</summary>
public sealed class OfferMatcherTests
{
    private static V1.Resource Scalar(string name, double value, string role = "*", string? allocation = null, string? refinedRole = null)
    {
        var r = new V1.Resource { Name = name, Type = V1.Value.Types.Type.Scalar, Scalar = new V1.Value.Types.Scalar { Value = value } };
        if (refinedRole is not null)
        {
            r.Reservations.Add(new V1.Resource.Types.ReservationInfo { Type = V1.Resource.Types.ReservationInfo.Types.Type.Static, Role = refinedRole });
        }
        else
        {
            r.Role = role;
        }

        if (allocation is not null)
        {
            r.AllocationInfo = new V1.Resource.Types.AllocationInfo { Role = allocation };
        }

        return r;
    }

    private static V1.Resource Ports(params (ulong Begin, ulong End)[] ranges)
    {
        var r = new V1.Resource { Name = "ports", Type = V1.Value.Types.Type.Ranges, Ranges = new V1.Value.Types.Ranges(), Role = "*" };
        r.Ranges.Range.AddRange(ranges.Select(x => new V1.Value.Types.Range { Begin = x.Begin, End = x.End }));
        return r;
    }

    private static V1.Offer Offer(string id, string agent, params V1.Resource[] resources)
    {
        var offer = new V1.Offer { Id = new V1.OfferID { Value = id }, AgentId = new AgentID { Value = agent }, FrameworkId = new V1.FrameworkID { Value = "f" }, Hostname = agent };
        offer.Resources.AddRange(resources);
        return offer;
    }

    private static LaunchRequest Task(string id, double cpus, double mem = 0, int ports = 0, params ulong[] fixedPorts) =>
        new() { Id = id, Resources = new ResourceRequirements { Cpus = cpus, Mem = mem, Ports = ports, FixedPorts = fixedPorts } };

    [Fact]
    public void TenTasks_OneBigOffer_AllPlaced_NoneSkipped()
    {
        // mesos-framework spliced its pending list while iterating it: every other task was skipped.
        var offer = Offer("o1", "a1", Scalar("cpus", 10), Scalar("mem", 10240));
        var tasks = Enumerable.Range(1, 10).Select(i => Task($"t{i}", 1, 1024)).ToArray();

        var result = OfferMatcher.Match([offer], tasks);

        Assert.Equal(tasks.Select(t => t.Id), Assert.Single(result.Launches).Placements.Select(p => p.Request.Id));
        Assert.Empty(result.Unplaced);
    }

    public static TheoryData<string, double[], double, int> ScalarCases() => new()
    {
        // name, task cpus, offered cpus, expected placed
        { "0.1 + 0.2 fits 0.3 at three decimals", [0.1, 0.2], 0.3, 2 },
        { "three thirds fit 1.0", [0.333, 0.333, 0.334], 1.0, 3 },
        { "0.0001 rounds to nothing", [0.0001], 0, 1 },
        { "0.0005 rounds up to 0.001", [0.0005], 0.0009, 1 },
        { "just over does not fit", [0.5, 0.501], 1.0, 1 },
    };

    [Theory]
    [MemberData(nameof(ScalarCases))]
    public void Scalars_AreComparedAtMesosPrecision(string name, double[] cpus, double offered, int placed)
    {
        var offer = Offer("o", "a", Scalar("cpus", offered), Scalar("mem", 100));
        var tasks = cpus.Select((c, i) => Task($"t{i}", c, 1)).ToArray();

        var result = OfferMatcher.Match([offer], tasks);

        Assert.True(placed == result.Launches.Sum(l => l.Placements.Count), name);
    }

    [Fact]
    public void Ports_ComeFromTheRanges_FixedPortsExactly_AndNeverTwice()
    {
        var offer = Offer("o", "a", Scalar("cpus", 4), Ports((31000, 31001), (31005, 31010)));

        var result = OfferMatcher.Match([offer], [Task("fixed", 0.1, 0, 1, 31006), Task("three", 0.1, 0, 3), Task("toomany", 0.1, 0, 100)]);

        var placements = Assert.Single(result.Launches).Placements;
        Assert.Equal([31006UL, 31000UL], placements[0].Ports);
        Assert.Equal([31001UL, 31005UL, 31007UL], placements[1].Ports);
        Assert.Equal("toomany", Assert.Single(result.Unplaced).Id);
        var ranges = placements[1].TaskResources.Single(r => r.Name == "ports").Ranges.Range.Select(r => (r.Begin, r.End));
        Assert.Equal([(31001UL, 31001UL), (31005UL, 31005UL), (31007UL, 31007UL)], ranges);
    }

    [Fact]
    public void FixedPortOutsideTheOffer_DoesNotFit()
    {
        var offer = Offer("o", "a", Scalar("cpus", 4), Ports((31000, 31010)));

        var result = OfferMatcher.Match([offer], [Task("p80", 0.1, 0, 0, 80)]);

        Assert.Empty(result.Launches);
        Assert.Equal(["o"], result.UnusedOfferIds.Select(o => o.Value));
    }

    [Fact]
    public void OffersOfOneAgent_AreCombined_IntoOneLaunch_AcrossOffers()
    {
        var offers = new[] { Offer("o1", "a1", Scalar("cpus", 1)), Offer("o2", "a1", Scalar("cpus", 1)), Offer("o3", "a2", Scalar("cpus", 0.5)) };

        var result = OfferMatcher.Match(offers, [Task("big", 1.5)]);

        var launch = Assert.Single(result.Launches);
        Assert.Equal(["o1", "o2"], launch.OfferIds.Select(o => o.Value));
        Assert.Equal([1.0, 0.5], launch.Placements[0].TaskResources.Select(r => r.Scalar.Value));
        Assert.Equal(["o3"], result.UnusedOfferIds.Select(o => o.Value));
    }

    [Fact]
    public void WithoutCombining_EachOfferStandsAlone()
    {
        var offers = new[] { Offer("o1", "a1", Scalar("cpus", 1)), Offer("o2", "a1", Scalar("cpus", 1)) };

        var result = OfferMatcher.Match(offers, [Task("big", 1.5)], new OfferMatcherOptions { CombineOffersPerAgent = false });

        Assert.Empty(result.Launches);
        Assert.Single(result.Unplaced);
    }

    [Fact]
    public void ReservedResources_AreUsedFirst_AndKeepTheirRoleAndAllocation()
    {
        var offer = Offer("o", "a", Scalar("cpus", 2, "*", "web"), Scalar("cpus", 1, "web", "web"));
        offer.AllocationInfo = new V1.Resource.Types.AllocationInfo { Role = "web" };

        var result = OfferMatcher.Match([offer], [Task("t", 1.5)], new OfferMatcherOptions { Roles = ["web"] });

        var resources = Assert.Single(result.Launches).Placements[0].TaskResources;
        Assert.Equal([("web", 1.0), ("*", 0.5)], resources.Select(r => (r.Role, r.Scalar.Value)));
        Assert.All(resources, r => Assert.Equal("web", r.AllocationInfo.Role));
    }

    [Fact]
    public void ResourcesReservedToAnotherRole_AreNotUsed_EvenInRefinedFormat()
    {
        var offer = Offer("o", "a", Scalar("cpus", 0.5, allocation: "web"), Scalar("cpus", 4, allocation: "web", refinedRole: "db"));
        offer.AllocationInfo = new V1.Resource.Types.AllocationInfo { Role = "web" };

        var result = OfferMatcher.Match([offer], [Task("t", 1)]);

        Assert.Empty(result.Launches);
    }

    [Fact]
    public void ReservationToAnAncestorRole_IsUsableByASubrole()
    {
        var offer = Offer("o", "a", Scalar("cpus", 2, allocation: "eng/web", refinedRole: "eng"));
        offer.AllocationInfo = new V1.Resource.Types.AllocationInfo { Role = "eng/web" };

        var result = OfferMatcher.Match([offer], [Task("t", 1)]);

        Assert.Single(result.Launches);
    }

    [Fact]
    public void OffersForAnotherRole_AreLeftUnused()
    {
        var offer = Offer("o", "a", Scalar("cpus", 2, allocation: "other"));
        offer.AllocationInfo = new V1.Resource.Types.AllocationInfo { Role = "other" };

        var result = OfferMatcher.Match([offer], [Task("t", 1)], new OfferMatcherOptions { Roles = ["web"] });

        Assert.Empty(result.Launches);
        Assert.Single(result.UnusedOfferIds);
    }

    [Fact]
    public void PersistentVolumesAndRevocableResources_AreLeftAlone()
    {
        var volume = Scalar("disk", 100);
        volume.Disk = new V1.Resource.Types.DiskInfo { Persistence = new V1.Resource.Types.DiskInfo.Types.Persistence { Id = "v" } };
        var revocable = Scalar("cpus", 8);
        revocable.Revocable = new V1.Resource.Types.RevocableInfo();
        var offer = Offer("o", "a", volume, revocable, Scalar("cpus", 1));

        var result = OfferMatcher.Match([offer], [new LaunchRequest { Id = "t", Resources = new ResourceRequirements { Cpus = 2, Disk = 10 } }]);

        Assert.Empty(result.Launches);
    }

    [Fact]
    public void ExecutorResources_AreAddedOncePerAgent()
    {
        var offer = Offer("o", "a", Scalar("cpus", 1.2), Scalar("mem", 1000));
        var executor = new ResourceRequirements { Cpus = 0.1, Mem = 32 };
        var requests = new[]
        {
            new LaunchRequest { Id = "t1", Resources = new ResourceRequirements { Cpus = 0.5 }, ExecutorId = new V1.ExecutorID { Value = "shared" }, ExecutorResources = executor },
            new LaunchRequest { Id = "t2", Resources = new ResourceRequirements { Cpus = 0.5 }, ExecutorId = new V1.ExecutorID { Value = "shared" }, ExecutorResources = executor },
        };

        var result = OfferMatcher.Match([offer], requests);

        var placements = Assert.Single(result.Launches).Placements;
        Assert.Equal(2, placements.Count);
        Assert.NotEmpty(placements[0].ExecutorResources);
        Assert.Empty(placements[1].ExecutorResources);
    }

    [Fact]
    public void PriorityOrder_IsTheRequestOrder_AndABigTaskThatDoesNotFitDoesNotBlockSmallOnes()
    {
        var offer = Offer("o", "a", Scalar("cpus", 1));

        var result = OfferMatcher.Match([offer], [Task("huge", 4), Task("small1", 0.5), Task("huge2", 4), Task("small2", 0.5)]);

        Assert.Equal(["small1", "small2"], Assert.Single(result.Launches).Placements.Select(p => p.Request.Id));
        Assert.Equal(["huge", "huge2"], result.Unplaced.Select(r => r.Id));
    }
}
