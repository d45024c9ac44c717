using Microsoft.Extensions.Logging;

namespace Mesos.ZooKeeper.Detection;

/// <summary>Every log message of Mesos master detection, with unique event ids (101-199).</summary>
internal static partial class Log
{
    [LoggerMessage(101, LogLevel.Warning, "The credentials in {Url} are ignored: this client does not do ZooKeeper digest authentication (reading the master group needs none)")]
    public static partial void CredentialsIgnored(ILogger logger, string url);

    [LoggerMessage(102, LogLevel.Information, "Leading Mesos master changed from {Previous} to {Current}")]
    public static partial void LeaderChanged(ILogger logger, string previous, string current);

    [LoggerMessage(103, LogLevel.Warning, "ZooKeeper session for {Url} expired; starting a new one")]
    public static partial void SessionExpired(ILogger logger, string url);

    [LoggerMessage(104, LogLevel.Warning, "Mesos master detection from {Url} failed: {Reason}; retrying")]
    public static partial void DetectionFailed(ILogger logger, string url, string reason);

    [LoggerMessage(105, LogLevel.Error, "The OnLeaderChanged callback threw; detection carries on")]
    public static partial void CallbackFailed(ILogger logger, Exception exception);

    [LoggerMessage(106, LogLevel.Error, "The leading Mesos master's node is unusable ({Reason}); reporting no leader until the group changes")]
    public static partial void UnusableLeader(ILogger logger, string reason);
}
