using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mesos.Executor.Runner.Tasks;

/// <summary>Mesos' duration text: a decimal number and a unit (ns, us, ms, secs, mins, hrs, days, weeks), e.g. "5secs", "250ms".</summary>
internal static class MesosDuration
{
    private static readonly (string Unit, double Seconds)[] s_units =
    [
        ("ns", 1e-9), ("us", 1e-6), ("ms", 1e-3), ("secs", 1), ("mins", 60), ("hrs", 3600), ("days", 86400), ("weeks", 604800),
    ];

    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = default;
        foreach (var (unit, seconds) in s_units)
        {
            if (text.EndsWith(unit, StringComparison.Ordinal)
                && double.TryParse(text.AsSpan(0, text.Length - unit.Length), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
                && char.IsAsciiDigit(text[0]))
            {
                var total = value * seconds;
                if (total > TimeSpan.MaxValue.TotalSeconds)
                {
                    return false;
                }

                duration = TimeSpan.FromTicks((long)Math.Round(total * TimeSpan.TicksPerSecond)); // exact for "100us"
                return true;
            }
        }

        return false;
    }
}

/// <summary>Reads a duration as Mesos text ("5secs") or a number of seconds.</summary>
internal sealed class DurationJsonConverter : JsonConverter<TimeSpan?>
{
    public override TimeSpan? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number when reader.TryGetDouble(out var seconds) && seconds >= 0 && seconds <= TimeSpan.MaxValue.TotalSeconds:
                return TimeSpan.FromSeconds(seconds);
            case JsonTokenType.String when MesosDuration.TryParse(reader.GetString()!, out var duration):
                return duration;
            default:
                throw new JsonException("expected a duration such as \"5secs\", \"250ms\" or a number of seconds");
        }
    }

    public override void Write(Utf8JsonWriter writer, TimeSpan? value, JsonSerializerOptions options)
    {
        if (value is TimeSpan span)
        {
            writer.WriteNumberValue(span.TotalSeconds);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
