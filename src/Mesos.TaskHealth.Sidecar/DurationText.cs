using System.Globalization;

namespace Mesos.TaskHealth.Sidecar;

/// <summary>Durations as people and Mesos write them: 500ms, 10s, 2m, 1h, 10secs, 15mins, 00:00:10, or bare seconds.</summary>
internal static class DurationText
{
    private static readonly (string Suffix, double Seconds)[] Units =
    [
        ("ns", 1e-9), ("us", 1e-6), ("ms", 1e-3),
        ("secs", 1), ("sec", 1), ("s", 1),
        ("mins", 60), ("min", 60), ("m", 60),
        ("hrs", 3600), ("hr", 3600), ("h", 3600),
        ("days", 86400), ("day", 86400), ("d", 86400),
    ];

    public static TimeSpan Parse(string text, string setting)
    {
        var value = text.Trim();
        if (value.Contains(':', StringComparison.Ordinal)
            && TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var span))
        {
            return span;
        }

        foreach (var (suffix, seconds) in Units)
        {
            if (value.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && double.TryParse(value[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                return TimeSpan.FromSeconds(number * seconds);
            }
        }

        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var bare))
        {
            return TimeSpan.FromSeconds(bare);
        }

        throw new ConfigException($"{setting}: '{text}' is not a duration; write e.g. 500ms, 10s, 2m or 10secs");
    }
}

/// <summary>A configuration mistake; the message names the setting and says what to write.</summary>
internal sealed class ConfigException(string message) : Exception(message);
