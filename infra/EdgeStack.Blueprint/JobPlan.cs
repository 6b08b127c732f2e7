namespace EdgeStack.Blueprint;

/// <summary>Everything one scheduled function's Container Apps Job is made of; the Pulumi program maps it field by field.</summary>
public sealed record JobPlan : WorkloadPlan
{
    /// <summary>A run is one replica, and one successful replica completes it.</summary>
    public const int Parallelism = 1;

    /// <summary>
    /// The seconds a job's replica gets between SIGTERM and SIGKILL: Container Apps' default, since a job's template (unlike
    /// an app's) has no <c>terminationGracePeriodSeconds</c>. A scheduled function's grace period may not exceed it.
    /// </summary>
    public const int PlatformGracePeriodSeconds = 30;

    /// <summary>The successful replicas that complete a run.</summary>
    public const int ReplicaCompletionCount = 1;

    /// <summary>The Azure name of the job.</summary>
    public required string JobName { get; init; }

    /// <summary>The schedule trigger's cron expression (UTC, five fields).</summary>
    public required string CronExpression { get; init; }

    /// <summary>Seconds a run may take before the platform stops it.</summary>
    public required int ReplicaTimeoutSeconds { get; init; }

    /// <summary>How many times a failed run is retried.</summary>
    public required int ReplicaRetryLimit { get; init; }
}
