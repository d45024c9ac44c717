using Mesos.V1;

namespace Mesos.Testing.Master;

/// <summary>Just enough of Mesos' resource arithmetic for the fake master: add and subtract by name, role and reservation.</summary>
internal static class FakeResources
{
    public static string Key(Resource r) =>
        $"{r.Name}|{(r.HasRole ? r.Role : "*")}|{r.Reservation}|{string.Join(",", r.Reservations)}|{r.Disk}|{r.Revocable is not null}";

    public static string ReservationRole(Resource r) =>
        r.Reservations.Count > 0 ? r.Reservations[^1].Role : r.HasRole ? r.Role : "*";

    public static long Fixed(double value) => (long)Math.Round(value * 1000, MidpointRounding.AwayFromZero);

    public static bool IsEmpty(Resource r) => r.Type switch
    {
        Value.Types.Type.Scalar => Fixed(r.Scalar?.Value ?? 0) <= 0,
        Value.Types.Type.Ranges => r.Ranges is null || r.Ranges.Range.Count == 0,
        Value.Types.Type.Set => r.Set is null || r.Set.Item.Count == 0,
        _ => true,
    };

    /// <summary>Adds <paramref name="resource"/> into <paramref name="pool"/>, merging with a resource of the same kind.</summary>
    public static void Add(List<Resource> pool, Resource resource)
    {
        var plain = Strip(resource);
        if (IsEmpty(plain))
        {
            return;
        }

        var key = Key(plain);
        var existing = pool.FirstOrDefault(r => Key(r) == key);
        if (existing is null)
        {
            pool.Add(plain);
            return;
        }

        switch (plain.Type)
        {
            case Value.Types.Type.Scalar:
                existing.Scalar = new Value.Types.Scalar { Value = (Fixed(existing.Scalar.Value) + Fixed(plain.Scalar.Value)) / 1000.0 };
                break;
            case Value.Types.Type.Ranges:
                var all = existing.Ranges.Range.Concat(plain.Ranges.Range).Select(x => (x.Begin, x.End)).OrderBy(x => x.Begin).ToList();
                existing.Ranges = new Value.Types.Ranges();
                foreach (var (begin, end) in Coalesce(all))
                {
                    existing.Ranges.Range.Add(new Value.Types.Range { Begin = begin, End = end });
                }

                break;
            case Value.Types.Type.Set:
                existing.Set.Item.AddRange(plain.Set.Item.Except(existing.Set.Item));
                break;
        }
    }

    /// <summary>Removes every resource of <paramref name="wanted"/> from <paramref name="pool"/>; false (and pool unchanged) when not contained.</summary>
    public static bool TrySubtract(List<Resource> pool, IEnumerable<Resource> wanted)
    {
        var copy = pool.Select(r => r.Clone()).ToList();
        foreach (var w in wanted.Select(Strip))
        {
            if (IsEmpty(w))
            {
                continue;
            }

            var key = Key(w);
            var have = copy.FirstOrDefault(r => Key(r) == key);
            if (have is null)
            {
                return false;
            }

            switch (w.Type)
            {
                case Value.Types.Type.Scalar:
                    var left = Fixed(have.Scalar.Value) - Fixed(w.Scalar.Value);
                    if (left < 0)
                    {
                        return false;
                    }

                    have.Scalar = new Value.Types.Scalar { Value = left / 1000.0 };
                    break;
                case Value.Types.Type.Ranges:
                    var ranges = have.Ranges.Range.Select(x => (x.Begin, x.End)).ToList();
                    foreach (var take in w.Ranges.Range)
                    {
                        var container = ranges.FindIndex(x => x.Begin <= take.Begin && take.End <= x.End);
                        if (container < 0 || take.End < take.Begin)
                        {
                            return false;
                        }

                        var (b, e) = ranges[container];
                        ranges.RemoveAt(container);
                        if (take.End < e)
                        {
                            ranges.Insert(container, (take.End + 1, e));
                        }

                        if (b < take.Begin)
                        {
                            ranges.Insert(container, (b, take.Begin - 1));
                        }
                    }

                    have.Ranges = new Value.Types.Ranges();
                    have.Ranges.Range.AddRange(ranges.Select(x => new Value.Types.Range { Begin = x.Begin, End = x.End }));
                    break;
                default:
                    return false;
            }
        }

        pool.Clear();
        pool.AddRange(copy.Where(r => !IsEmpty(r)));
        return true;
    }

    public static string Describe(IEnumerable<Resource> resources) => string.Join("; ", resources.Select(r => r.Type switch
    {
        Value.Types.Type.Scalar => $"{r.Name}({ReservationRole(r)}):{r.Scalar?.Value}",
        Value.Types.Type.Ranges => $"{r.Name}({ReservationRole(r)}):[{string.Join(", ", r.Ranges?.Range.Select(x => $"{x.Begin}-{x.End}") ?? [])}]",
        _ => r.Name,
    }));

    /// <summary>The resource without allocation info (the agent's view).</summary>
    public static Resource Strip(Resource r)
    {
        var copy = r.Clone();
        copy.AllocationInfo = null;
        return copy;
    }

    private static IEnumerable<(ulong Begin, ulong End)> Coalesce(List<(ulong Begin, ulong End)> ranges)
    {
        if (ranges.Count == 0)
        {
            yield break;
        }

        var (begin, end) = ranges[0];
        foreach (var (b, e) in ranges.Skip(1))
        {
            if (b <= end + 1)
            {
                end = Math.Max(end, e);
                continue;
            }

            yield return (begin, end);
            (begin, end) = (b, e);
        }

        yield return (begin, end);
    }
}
