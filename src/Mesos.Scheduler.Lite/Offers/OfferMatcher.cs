namespace Mesos.Scheduler.Lite;

/// <summary>
/// First-fit offer matching with Mesos' resource arithmetic. Requests are placed in the order given (callers sort by
/// priority); none is skipped. Offers of one agent are pooled (combine_offers), several requests share a pool, and only
/// resources allocatable to the offer's role are used: unreserved ones and those reserved to the role or an ancestor,
/// reserved ones first. Scalars are fixed-point with three decimals, ports come from the offered ranges, and the
/// resources handed back are copies of the offered ones (role, reservations, allocation info kept) so the master's
/// validation sees exactly what it offered. Persistent volumes, mount/block/raw disks, shared, provider and (by
/// default) revocable resources are left alone.
/// </summary>
public static class OfferMatcher
{
    private const string Cpus = "cpus";
    private const string Mem = "mem";
    private const string Disk = "disk";
    private const string Gpus = "gpus";
    private const string PortsName = "ports";

    public static OfferMatchResult Match(IReadOnlyList<V1.Offer> offers, IReadOnlyList<LaunchRequest> requests, OfferMatcherOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(offers);
        ArgumentNullException.ThrowIfNull(requests);
        options ??= OfferMatcherOptions.Default;
        var roles = options.Roles.Count == 0 ? null : new HashSet<string>(options.Roles, StringComparer.Ordinal);

        var pools = new List<Pool>();
        var unused = new List<OfferID>();
        var byKey = new Dictionary<(string Agent, string? Role, string? Offer), Pool>();
        var knownExecutors = new HashSet<(string Agent, string Executor)>();
        foreach (var offer in offers)
        {
            var role = AllocationRole(offer);
            if (roles is not null && role is not null && !roles.Contains(role))
            {
                unused.Add(offer.Id);
                continue;
            }

            var key = (offer.AgentId.Value, role, options.CombineOffersPerAgent ? null : offer.Id.Value);
            if (!byKey.TryGetValue(key, out var pool))
            {
                pool = new Pool(offer.AgentId, offer.Hostname, role);
                byKey[key] = pool;
                pools.Add(pool);
            }

            pool.Add(offer, roles, options.AcceptRevocable);
            foreach (var executor in offer.ExecutorIds)
            {
                knownExecutors.Add((offer.AgentId.Value, executor.Value));
            }
        }

        var unplaced = new List<LaunchRequest>();
        // A request that fitted nowhere makes every identical later request fit nowhere too: pools only shrink.
        var fitsNowhere = new HashSet<(ResourceRequirements.Key Task, ResourceRequirements.Key? Executor, string? Role)>();
        foreach (var request in requests)
        {
            var executorKey = request.ExecutorId is not null && request.ExecutorResources is { } er ? er.ToKey() : (ResourceRequirements.Key?)null;
            var sharedExecutor = request.ExecutorId is { } eid && knownExecutors.Any(k => k.Executor == eid.Value);
            var memoKey = (request.Resources.ToKey(), executorKey, request.Role);
            if (!sharedExecutor && fitsNowhere.Contains(memoKey))
            {
                unplaced.Add(request);
                continue;
            }

            var placed = false;
            foreach (var pool in pools)
            {
                if (request.Role is { } wanted && pool.Role is { } poolRole && wanted != poolRole)
                {
                    continue;
                }

                var needsExecutor = request.ExecutorId is { } executorId && request.ExecutorResources is { IsEmpty: false }
                                    && !knownExecutors.Contains((pool.AgentId.Value, executorId.Value));
                if (!pool.Fits(request.Resources, needsExecutor ? request.ExecutorResources : null))
                {
                    continue;
                }

                var taskResources = pool.Take(request.Resources, out var ports);
                var executorResources = needsExecutor ? pool.Take(request.ExecutorResources!, out _) : [];
                if (request.ExecutorId is { } placedExecutor)
                {
                    knownExecutors.Add((pool.AgentId.Value, placedExecutor.Value));
                }

                pool.Placements.Add(new Placement(request, taskResources, executorResources, ports));
                placed = true;
                break;
            }

            if (!placed)
            {
                unplaced.Add(request);
                if (!sharedExecutor)
                {
                    fitsNowhere.Add(memoKey);
                }
            }
        }

        var launches = new List<AgentLaunch>();
        foreach (var pool in pools)
        {
            if (pool.Placements.Count == 0)
            {
                unused.AddRange(pool.OfferIds);
            }
            else
            {
                launches.Add(new AgentLaunch(pool.AgentId, pool.Hostname, pool.Role, pool.OfferIds, pool.Placements));
            }
        }

        return new OfferMatchResult(launches, unused, unplaced);
    }

    /// <summary>The role an offer is allocated to (MULTI_ROLE frameworks), or null for single-role frameworks.</summary>
    public static string? AllocationRole(V1.Offer offer)
    {
        ArgumentNullException.ThrowIfNull(offer);
        if (offer.AllocationInfo is { HasRole: true } info)
        {
            return info.Role;
        }

        foreach (var resource in offer.Resources)
        {
            if (resource.AllocationInfo is { HasRole: true } r)
            {
                return r.Role;
            }
        }

        return null;
    }

    /// <summary>The role a resource is reserved to (last refinement wins), or null when unreserved. Reads both the old and the refined format.</summary>
    public static string? ReservationRole(V1.Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (resource.Reservations.Count > 0)
        {
            return resource.Reservations[^1].Role;
        }

        return resource.HasRole && resource.Role != "*" ? resource.Role : null;
    }

    /// <summary>Mesos' <c>isAllocatableTo</c>: unreserved, or reserved to <paramref name="role"/> or to one of its ancestors.</summary>
    public static bool IsAllocatableTo(V1.Resource resource, string role)
    {
        var reserved = ReservationRole(resource);
        return reserved is null || reserved == role || role.StartsWith(reserved + "/", StringComparison.Ordinal);
    }

    private static bool IsUsable(V1.Resource resource, string? allocationRole, HashSet<string>? roles, bool acceptRevocable)
    {
        if ((resource.Revocable is not null && !acceptRevocable) || resource.Shared is not null || resource.ProviderId is not null)
        {
            return false;
        }

        if (resource.Disk is { } disk && (disk.Persistence is not null || disk.Volume is not null
                                          || disk.Source is { Type: not V1.Resource.Types.DiskInfo.Types.Source.Types.Type.Path }))
        {
            return false;
        }

        if (allocationRole is not null)
        {
            return IsAllocatableTo(resource, allocationRole);
        }

        // Single-role framework: the master offers only what its role may use; with a roles list, check against it.
        return roles is null || ReservationRole(resource) is null || roles.Any(r => IsAllocatableTo(resource, r));
    }

    private sealed class Pool(AgentID agentId, string hostname, string? role)
    {
        private readonly Dictionary<string, List<ScalarEntry>> _scalars = new(StringComparer.Ordinal);
        private readonly Dictionary<string, long> _totals = new(StringComparer.Ordinal);
        private readonly List<RangeEntry> _ports = [];
        private long _freePorts;

        public AgentID AgentId { get; } = agentId;

        public string Hostname { get; } = hostname;

        public string? Role { get; } = role;

        public List<OfferID> OfferIds { get; } = [];

        public List<Placement> Placements { get; } = [];

        public void Add(V1.Offer offer, HashSet<string>? roles, bool acceptRevocable)
        {
            OfferIds.Add(offer.Id);
            foreach (var resource in offer.Resources)
            {
                if (!IsUsable(resource, Role, roles, acceptRevocable))
                {
                    continue;
                }

                var reserved = ReservationRole(resource) is not null;
                switch (resource.Name)
                {
                    case Cpus or Mem or Disk or Gpus when resource.Type == V1.Value.Types.Type.Scalar && resource.Scalar is { } scalar:
                        var amount = Scalar.ToFixed(scalar.Value);
                        if (amount <= 0)
                        {
                            break;
                        }

                        if (!_scalars.TryGetValue(resource.Name, out var list))
                        {
                            _scalars[resource.Name] = list = [];
                        }

                        // Reserved resources first: they exist for this role, using them leaves the shared pool to others.
                        list.Insert(reserved ? list.FindLastIndex(e => e.Reserved) + 1 : list.Count, new ScalarEntry(resource, amount, reserved));
                        _totals[resource.Name] = _totals.GetValueOrDefault(resource.Name) + amount;
                        break;
                    case PortsName when resource.Type == V1.Value.Types.Type.Ranges && resource.Ranges is { } ranges:
                        var entry = new RangeEntry(resource, reserved);
                        foreach (var range in ranges.Range.OrderBy(r => r.Begin))
                        {
                            if (range.End >= range.Begin)
                            {
                                entry.Ranges.Add((range.Begin, range.End));
                                _freePorts += (long)(range.End - range.Begin + 1);
                            }
                        }

                        _ports.Insert(reserved ? _ports.FindLastIndex(e => e.Reserved) + 1 : _ports.Count, entry);
                        break;
                }
            }
        }

        public bool Fits(ResourceRequirements task, ResourceRequirements? executor)
        {
            if (!FitsScalar(Cpus, task.Cpus, executor?.Cpus) || !FitsScalar(Mem, task.Mem, executor?.Mem)
                || !FitsScalar(Disk, task.Disk, executor?.Disk) || !FitsScalar(Gpus, task.Gpus, executor?.Gpus))
            {
                return false;
            }

            var fixedPorts = executor is null ? task.FixedPorts : task.FixedPorts.Concat(executor.FixedPorts).ToArray();
            if (fixedPorts.Count > 0 && (fixedPorts.Distinct().Count() != fixedPorts.Count || !fixedPorts.All(ContainsPort)))
            {
                return false;
            }

            return _freePorts - fixedPorts.Count >= task.Ports + (executor?.Ports ?? 0);
        }

        private bool FitsScalar(string name, double task, double? executor)
        {
            var needed = Scalar.ToFixed(task) + Scalar.ToFixed(executor ?? 0);
            return needed <= 0 || _totals.GetValueOrDefault(name) >= needed;
        }

        private bool ContainsPort(ulong port) => _ports.Any(e => e.Ranges.Any(r => r.Begin <= port && port <= r.End));

        public List<V1.Resource> Take(ResourceRequirements requirements, out IReadOnlyList<ulong> ports)
        {
            var taken = new List<V1.Resource>();
            TakeScalar(Cpus, requirements.Cpus, taken);
            TakeScalar(Mem, requirements.Mem, taken);
            TakeScalar(Disk, requirements.Disk, taken);
            TakeScalar(Gpus, requirements.Gpus, taken);
            ports = TakePorts(requirements, taken);
            return taken;
        }

        private void TakeScalar(string name, double amount, List<V1.Resource> taken)
        {
            var needed = Scalar.ToFixed(amount);
            if (needed <= 0)
            {
                return;
            }

            _totals[name] -= needed;
            foreach (var entry in _scalars[name])
            {
                if (entry.Remaining == 0)
                {
                    continue;
                }

                var part = Math.Min(entry.Remaining, needed);
                entry.Remaining -= part;
                needed -= part;
                var resource = entry.Template.Clone();
                resource.Scalar = new V1.Value.Types.Scalar { Value = Scalar.FromFixed(part) };
                taken.Add(resource);
                if (needed == 0)
                {
                    return;
                }
            }
        }

        private List<ulong> TakePorts(ResourceRequirements requirements, List<V1.Resource> taken)
        {
            var ports = new List<ulong>();
            if (requirements.Ports == 0 && requirements.FixedPorts.Count == 0)
            {
                return ports;
            }

            var perEntry = new Dictionary<RangeEntry, List<ulong>>();
            foreach (var port in requirements.FixedPorts)
            {
                var entry = _ports.First(e => e.Ranges.Any(r => r.Begin <= port && port <= r.End));
                entry.Remove(port);
                Record(entry, port);
            }

            var wanted = requirements.Ports;
            foreach (var entry in _ports)
            {
                while (wanted > 0 && entry.Ranges.Count > 0)
                {
                    var port = entry.Ranges[0].Begin;
                    entry.Remove(port);
                    Record(entry, port);
                    wanted--;
                }
            }

            foreach (var (entry, list) in perEntry)
            {
                var resource = entry.Template.Clone();
                resource.Ranges = new V1.Value.Types.Ranges();
                foreach (var (begin, end) in Compact(list))
                {
                    resource.Ranges.Range.Add(new V1.Value.Types.Range { Begin = begin, End = end });
                }

                taken.Add(resource);
            }

            return ports;

            void Record(RangeEntry entry, ulong port)
            {
                _freePorts--;
                ports.Add(port);
                if (!perEntry.TryGetValue(entry, out var list))
                {
                    perEntry[entry] = list = [];
                }

                list.Add(port);
            }
        }

        private static IEnumerable<(ulong Begin, ulong End)> Compact(List<ulong> ports)
        {
            ports.Sort();
            var begin = ports[0];
            var end = begin;
            foreach (var port in ports.Skip(1))
            {
                if (port == end + 1)
                {
                    end = port;
                    continue;
                }

                yield return (begin, end);
                begin = end = port;
            }

            yield return (begin, end);
        }
    }

    private sealed class ScalarEntry(V1.Resource template, long remaining, bool reserved)
    {
        public V1.Resource Template { get; } = template;

        public long Remaining { get; set; } = remaining;

        public bool Reserved { get; } = reserved;
    }

    private sealed class RangeEntry(V1.Resource template, bool reserved)
    {
        public V1.Resource Template { get; } = template;

        public bool Reserved { get; } = reserved;

        public List<(ulong Begin, ulong End)> Ranges { get; } = [];

        public void Remove(ulong port)
        {
            for (var i = 0; i < Ranges.Count; i++)
            {
                var (begin, end) = Ranges[i];
                if (port < begin || port > end)
                {
                    continue;
                }

                Ranges.RemoveAt(i);
                if (port < end)
                {
                    Ranges.Insert(i, (port + 1, end));
                }

                if (port > begin)
                {
                    Ranges.Insert(i, (begin, port - 1));
                }

                return;
            }
        }
    }
}
