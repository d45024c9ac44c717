using Mesos.Protocol.Encoding;
using Microsoft.Extensions.Logging;

namespace Mesos.Scheduler.Lite;

/// <summary>When the client acknowledges status updates.</summary>
public enum AcknowledgementMode
{
    /// <summary>Right after the event handler returned without throwing (a handler that throws gets the update again).</summary>
    AfterHandler,

    /// <summary>Only when the application calls <see cref="SchedulerClient.AcknowledgeAsync(MesosTaskStatus, CancellationToken)"/> (mesoshttp's <c>update.ack()</c>).</summary>
    Explicit,
}

/// <summary>Reconciliation: explicit after every SUBSCRIBE until every known task answered, implicit now and then.</summary>
public sealed record ReconciliationOptions
{
    /// <summary>Send RECONCILE for every known non-terminal task after each SUBSCRIBED, again with backoff until each answered.</summary>
    public bool ExplicitAfterSubscribe { get; init; } = true;

    /// <summary>Wait before re-sending explicit reconciliation for the tasks that have not answered; doubles each time.</summary>
    public TimeSpan RetryMinimum { get; init; } = Defaults.ReconciliationRetryMinimum;

    public TimeSpan RetryMaximum { get; init; } = Defaults.ReconciliationRetryMaximum;

    /// <summary>Implicit reconciliation (RECONCILE with no tasks) this often while subscribed; null turns it off.</summary>
    public TimeSpan? ImplicitInterval { get; init; } = Defaults.ImplicitReconciliationInterval;
}

/// <summary>How a <see cref="SchedulerClient"/> finds, authenticates to and stays subscribed with the leading master.</summary>
public sealed record SchedulerClientOptions
{
    /// <summary>Masters, tried in order (mesoshttp <c>mesos_urls</c>): <c>http://m1:5050</c> or the full scheduler API URL.</summary>
    public required IReadOnlyList<Uri> Masters { get; init; }

    public FrameworkOptions Framework { get; init; } = new();

    /// <summary>Calls and events in JSON or protobuf.</summary>
    public MesosEncoding Encoding { get; init; } = MesosEncoding.Json;

    /// <summary>HTTP basic authentication (mesoshttp <c>set_credentials</c>).</summary>
    public BasicCredentials? Credentials { get; init; }

    /// <summary>DC/OS service account login; supersedes <see cref="Credentials"/> (mesoshttp <c>set_service_account</c>).</summary>
    public DcosServiceAccount? ServiceAccount { get; init; }

    public TlsOptions Tls { get; init; } = TlsOptions.Default;

    /// <summary>Delay between re-subscription attempts.</summary>
    public BackoffOptions Backoff { get; init; } = BackoffOptions.Default;

    /// <summary>Give up after this many consecutive failed (re)connection attempts (mesoshttp <c>max_reconnect</c>); null retries forever.</summary>
    public int? MaxReconnect { get; init; }

    /// <summary>After this many heartbeat intervals without any event the connection counts as dead.</summary>
    public int MissedHeartbeats { get; init; } = Defaults.MissedHeartbeats;

    /// <summary>Wait for SUBSCRIBED once the stream is open (mesos-framework <c>masterConnectionTimeout</c>).</summary>
    public TimeSpan MasterConnectionTimeout { get; init; } = Defaults.MasterConnectionTimeout;

    /// <summary>Bound on each non-streaming call.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>307 redirects followed per master before trying the next one.</summary>
    public int MaxRedirects { get; init; } = 5;

    public AcknowledgementMode Acknowledgement { get; init; } = AcknowledgementMode.AfterHandler;

    public ReconciliationOptions Reconciliation { get; init; } = new();

    /// <summary>Optional leader detection (ZooKeeper), asked before the <see cref="Masters"/> list.</summary>
    public IMasterDetector? MasterDetector { get; init; }

    /// <summary>Called after each call the master accepted (the seeds' <c>sent_*</c> notifications).</summary>
    public Func<Call, ValueTask>? OnCallSent { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public ILoggerFactory? LoggerFactory { get; init; }

    internal void Validate()
    {
        if (Masters is null || (Masters.Count == 0 && MasterDetector is null))
        {
            throw new ArgumentException("SchedulerClientOptions.Masters must list at least one master (e.g. http://10.0.0.1:5050), or set MasterDetector", nameof(Masters));
        }

        ArgumentNullException.ThrowIfNull(Framework, nameof(Framework));
        Framework.Validate();
        ArgumentNullException.ThrowIfNull(Backoff, nameof(Backoff));
        Backoff.Validate("SchedulerClientOptions.Backoff");
        if (MaxReconnect is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxReconnect), MaxReconnect, "SchedulerClientOptions.MaxReconnect must be 0 or more (null retries forever)");
        }

        if (MissedHeartbeats < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MissedHeartbeats), MissedHeartbeats, "SchedulerClientOptions.MissedHeartbeats must be at least 1");
        }

        if (MasterConnectionTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(MasterConnectionTimeout), MasterConnectionTimeout, "SchedulerClientOptions.MasterConnectionTimeout must be positive");
        }

        if (CallTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(CallTimeout), CallTimeout, "SchedulerClientOptions.CallTimeout must be positive");
        }

        if (Reconciliation.RetryMinimum <= TimeSpan.Zero || Reconciliation.RetryMaximum < Reconciliation.RetryMinimum)
        {
            throw new ArgumentOutOfRangeException(nameof(Reconciliation), "SchedulerClientOptions.Reconciliation.RetryMinimum must be positive and not above RetryMaximum");
        }

        if (Reconciliation.ImplicitInterval is { } every && every <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Reconciliation), "SchedulerClientOptions.Reconciliation.ImplicitInterval must be positive (or null to turn it off)");
        }

        foreach (var master in Masters)
        {
            if (master is null || !master.IsAbsoluteUri || (master.Scheme != Uri.UriSchemeHttp && master.Scheme != Uri.UriSchemeHttps))
            {
                throw new ArgumentException($"SchedulerClientOptions.Masters holds '{master}', which is not an absolute http or https URL", nameof(Masters));
            }
        }
    }
}
