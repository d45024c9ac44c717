using System.Globalization;

namespace Mesos.TaskHealth;

/// <summary>
/// A set of accepted HTTP status codes made of single codes and inclusive ranges, e.g. <c>200-399</c>
/// (Mesos) or <c>200</c> (taskHealthHelper). Immutable; <see cref="ToString"/> and <see cref="Parse"/> round-trip.
/// </summary>
public sealed class StatusCodeSet : IEquatable<StatusCodeSet>
{
    private readonly (int From, int To)[] _ranges;

    private StatusCodeSet((int From, int To)[] ranges)
    {
        _ranges = Normalize(ranges);
    }

    /// <summary>Mesos' rule for HTTP health checks: any code from 200 to 399 is healthy.</summary>
    public static StatusCodeSet MesosDefault { get; } = Range(200, 399);

    /// <summary>The taskHealthHelper default: only 200.</summary>
    public static StatusCodeSet SeedDefault { get; } = Of(200);

    /// <summary>The inclusive ranges of this set, merged and sorted.</summary>
    public IReadOnlyList<(int From, int To)> Ranges => _ranges;

    /// <summary>A set of single codes.</summary>
    public static StatusCodeSet Of(params int[] codes)
    {
        ArgumentNullException.ThrowIfNull(codes);
        if (codes.Length == 0)
        {
            throw new ArgumentException("A status code set needs at least one code", nameof(codes));
        }

        foreach (var code in codes)
        {
            CheckCode(code);
        }

        return new StatusCodeSet(codes.Select(c => (c, c)).ToArray());
    }

    /// <summary>An inclusive range of codes.</summary>
    public static StatusCodeSet Range(int from, int to)
    {
        CheckCode(from);
        CheckCode(to);
        if (from > to)
        {
            throw new ArgumentException($"Status code range {from}-{to} is empty: the start is above the end", nameof(from));
        }

        return new StatusCodeSet([(from, to)]);
    }

    /// <summary>
    /// Parses <c>"200"</c>, <c>"200-399"</c>, <c>"200,204,300-399"</c> or <c>"2xx"</c>.
    /// </summary>
    public static StatusCodeSet Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ranges = new List<(int, int)>();
        foreach (var raw in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (raw.Length == 3 && char.IsAsciiDigit(raw[0]) && raw.EndsWith("xx", StringComparison.OrdinalIgnoreCase))
            {
                var hundred = (raw[0] - '0') * 100;
                ranges.Add((hundred, hundred + 99));
                continue;
            }

            var dash = raw.IndexOf('-', StringComparison.Ordinal);
            var from = ParseCode(dash < 0 ? raw : raw[..dash], text);
            var to = dash < 0 ? from : ParseCode(raw[(dash + 1)..], text);
            if (from > to)
            {
                throw new FormatException($"Status code range '{raw}' in '{text}' is empty: the start is above the end");
            }

            ranges.Add((from, to));
        }

        if (ranges.Count == 0)
        {
            throw new FormatException($"'{text}' names no status codes; write e.g. 200 or 200-399 or 200,204");
        }

        return new StatusCodeSet([.. ranges]);
    }

    /// <summary>This set plus <paramref name="other"/>.</summary>
    public StatusCodeSet Union(StatusCodeSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new StatusCodeSet([.. _ranges, .. other._ranges]);
    }

    /// <summary>True when <paramref name="statusCode"/> is in the set.</summary>
    public bool Contains(int statusCode)
    {
        foreach (var (from, to) in _ranges)
        {
            if (statusCode >= from && statusCode <= to)
            {
                return true;
            }
        }

        return false;
    }

    /// <inheritdoc />
    public override string ToString() =>
        string.Join(',', _ranges.Select(r => r.From == r.To
            ? r.From.ToString(CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{r.From}-{r.To}")));

    /// <inheritdoc />
    public bool Equals(StatusCodeSet? other) => other is not null && _ranges.AsSpan().SequenceEqual(other._ranges);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as StatusCodeSet);

    /// <inheritdoc />
    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);

    private static int ParseCode(string raw, string text)
    {
        if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var code) || code < 100 || code > 599)
        {
            throw new FormatException($"'{raw}' in status codes '{text}' is not an HTTP status code (100-599)");
        }

        return code;
    }

    private static void CheckCode(int code)
    {
        if (code < 100 || code > 599)
        {
            throw new ArgumentOutOfRangeException(nameof(code), code, "HTTP status codes are 100-599");
        }
    }

    private static (int From, int To)[] Normalize((int From, int To)[] ranges)
    {
        Array.Sort(ranges);
        var merged = new List<(int From, int To)>(ranges.Length);
        foreach (var range in ranges)
        {
            if (merged.Count > 0 && range.From <= merged[^1].To + 1)
            {
                merged[^1] = (merged[^1].From, Math.Max(merged[^1].To, range.To));
            }
            else
            {
                merged.Add(range);
            }
        }

        return [.. merged];
    }
}
