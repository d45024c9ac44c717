using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Mesos.Executor.Configuration;

/// <summary>
/// The duration text Mesos uses in flags and in the executor's environment: a non-negative number followed by one of
/// <c>ns</c>, <c>us</c>, <c>ms</c>, <c>secs</c>, <c>mins</c>, <c>hrs</c>, <c>days</c>, <c>weeks</c>
/// (<c>5secs</c>, <c>15mins</c>, <c>0.5secs</c>), as stout's <c>Duration::parse</c> reads it.
/// </summary>
public static class MesosDuration
{
    private static readonly (string Unit, double Nanoseconds)[] Units =
    [
        ("ns", 1), ("us", 1e3), ("ms", 1e6), ("secs", 1e9), ("mins", 60e9), ("hrs", 3600e9), ("days", 86400e9), ("weeks", 604800e9),
    ];

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says why.</summary>
    public static bool TryParse(string? text, out TimeSpan value, [NotNullWhen(false)] out string? error)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "is empty";
            return false;
        }

        var digits = 0;
        while (digits < text.Length && (char.IsAsciiDigit(text[digits]) || text[digits] == '.'))
        {
            digits++;
        }

        if (digits == 0 || !double.TryParse(text.AsSpan(0, digits), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            error = $"'{text}' does not start with a number";
            return false;
        }

        var unit = text[digits..];
        foreach (var (name, nanoseconds) in Units)
        {
            if (unit == name)
            {
                var ticks = number * nanoseconds / 100;
                if (ticks > TimeSpan.MaxValue.Ticks)
                {
                    error = $"'{text}' is too long";
                    return false;
                }

                value = TimeSpan.FromTicks((long)ticks);
                error = null;
                return true;
            }
        }

        error = unit.Length == 0
            ? $"'{text}' has no unit (ns, us, ms, secs, mins, hrs, days or weeks)"
            : $"'{text}' has the unknown unit '{unit}' (ns, us, ms, secs, mins, hrs, days or weeks)";
        return false;
    }

    /// <summary>Parses <paramref name="text"/>.</summary>
    /// <exception cref="FormatException">Not a Mesos duration.</exception>
    public static TimeSpan Parse(string text) =>
        TryParse(text, out var value, out var error) ? value : throw new FormatException($"Not a Mesos duration: {error}");

    /// <summary>Formats a duration the way Mesos would accept it back (<c>5secs</c>, <c>250ms</c>).</summary>
    public static string Format(TimeSpan value)
    {
        if (value.Ticks % TimeSpan.TicksPerSecond == 0)
        {
            return $"{value.Ticks / TimeSpan.TicksPerSecond}secs";
        }

        if (value.Ticks % TimeSpan.TicksPerMillisecond == 0)
        {
            return $"{value.Ticks / TimeSpan.TicksPerMillisecond}ms";
        }

        return $"{value.Ticks * 100}ns";
    }
}
