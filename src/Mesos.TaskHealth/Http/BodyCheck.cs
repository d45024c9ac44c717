using System.Text.Json;
using System.Text.RegularExpressions;

namespace Mesos.TaskHealth;

/// <summary>
/// A check of an HTTP response body, applied only after the status code was accepted. Build one with
/// <see cref="Predicate"/>, <see cref="Contains"/>, <see cref="Matches(Regex)"/> or <see cref="JsonValue"/>.
/// </summary>
public sealed class BodyCheck
{
    private readonly Func<string, string?> _evaluate;

    private BodyCheck(string description, Func<string, string?> evaluate)
    {
        Description = description;
        _evaluate = evaluate;
    }

    /// <summary>What the check expects, for messages ("body contains 'ok'").</summary>
    public string Description { get; }

    /// <summary>Any predicate over the body text.</summary>
    public static BodyCheck Predicate(Func<string, bool> predicate, string description = "body predicate")
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return new BodyCheck(description, body => predicate(body) ? null : $"body failed the {description}");
    }

    /// <summary>The body contains <paramref name="text"/> (ordinal comparison).</summary>
    public static BodyCheck Contains(string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        return new BodyCheck(
            $"body contains '{text}'",
            body => body.Contains(text, StringComparison.Ordinal) ? null : $"body does not contain '{text}'");
    }

    /// <summary>The body matches <paramref name="pattern"/> somewhere.</summary>
    public static BodyCheck Matches(Regex pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        return new BodyCheck(
            $"body matches /{pattern}/",
            body => pattern.IsMatch(body) ? null : $"body does not match /{pattern}/");
    }

    /// <summary>The body matches the regular expression <paramref name="pattern"/> (1 s match timeout).</summary>
    public static BodyCheck Matches(string pattern) =>
        Matches(new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));

    /// <summary>
    /// The body is JSON and the value at <paramref name="path"/> (dot-separated property names, <c>[n]</c>
    /// for array items, e.g. <c>checks.db.status</c> or <c>items[0].ok</c>) equals <paramref name="expected"/>:
    /// a JSON string compares by its text, any other value by its JSON text (<c>true</c>, <c>42</c>, <c>null</c>).
    /// </summary>
    public static BodyCheck JsonValue(string path, string expected)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(expected);
        var segments = ParsePath(path);
        return new BodyCheck($"JSON {path} == '{expected}'", body => CheckJson(body, path, segments, expected));
    }

    /// <summary>Null when the body passes, else the reason it does not.</summary>
    public string? Evaluate(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            return _evaluate(body);
        }
        catch (RegexMatchTimeoutException)
        {
            return $"{Description}: the regular expression timed out";
        }
    }

    /// <inheritdoc />
    public override string ToString() => Description;

    private static string? CheckJson(string body, string path, object[] segments, string expected)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            return $"body is not JSON ({ex.Message}), expected {path} == '{expected}'";
        }

        using (document)
        {
            var element = document.RootElement;
            foreach (var segment in segments)
            {
                if (segment is string name)
                {
                    if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
                    {
                        return $"JSON body has no {path}";
                    }
                }
                else
                {
                    var index = (int)segment;
                    if (element.ValueKind != JsonValueKind.Array || index >= element.GetArrayLength())
                    {
                        return $"JSON body has no {path}";
                    }

                    element = element[index];
                }
            }

            var actual = element.ValueKind == JsonValueKind.String ? element.GetString()! : element.GetRawText();
            return string.Equals(actual, expected, StringComparison.Ordinal)
                ? null
                : $"JSON {path} is '{actual}', expected '{expected}'";
        }
    }

    private static object[] ParsePath(string path)
    {
        var segments = new List<object>();
        foreach (var part in path.Split('.'))
        {
            var name = part;
            var bracket = name.IndexOf('[', StringComparison.Ordinal);
            var head = bracket < 0 ? name : name[..bracket];
            if (head.Length > 0)
            {
                segments.Add(head);
            }
            else if (bracket != 0)
            {
                throw new ArgumentException($"JSON path '{path}' has an empty segment", nameof(path));
            }

            while (bracket >= 0)
            {
                var close = name.IndexOf(']', bracket);
                if (close < 0 || !int.TryParse(name.AsSpan(bracket + 1, close - bracket - 1), out var index) || index < 0)
                {
                    throw new ArgumentException($"JSON path '{path}' has a bad array index; write items[0]", nameof(path));
                }

                segments.Add(index);
                name = name[(close + 1)..];
                bracket = name.Length == 0 ? -1 : name[0] == '['
                    ? 0
                    : throw new ArgumentException($"JSON path '{path}' has text after an array index", nameof(path));
            }
        }

        return [.. segments];
    }
}
