namespace Mesos.TaskHealth;

/// <summary>
/// A command probe: healthy when the command exits 0 within the timeout. On timeout or cancellation the
/// command is killed together with every process it started.
/// </summary>
public sealed record CommandProbeOptions
{
    /// <summary>
    /// With <see cref="Shell"/> (the default, like Mesos' <c>CommandInfo.shell</c>), a command line run by
    /// <c>/bin/sh -c</c>; otherwise the program to start, with <see cref="Arguments"/>.
    /// </summary>
    public required string Command { get; init; }

    /// <summary>Run <see cref="Command"/> through <c>/bin/sh -c</c>.</summary>
    public bool Shell { get; init; } = true;

    /// <summary>Arguments when <see cref="Shell"/> is false.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Variables added to (or replacing) the inherited environment.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>The working directory; the current one unless set.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Throws with a message naming the bad setting.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Command))
        {
            throw new ArgumentException("CommandProbeOptions.Command must not be empty", nameof(Command));
        }

        if (Shell && Arguments.Count > 0)
        {
            throw new ArgumentException(
                "CommandProbeOptions.Arguments are only used when Shell is false; put them in the command line instead",
                nameof(Arguments));
        }
    }
}
