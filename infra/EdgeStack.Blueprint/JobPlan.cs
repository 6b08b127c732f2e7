namespace EdgeStack.Blueprint;

/// <summary>Everything one scheduled function's Container Apps Job is made of; the Pulumi program maps it field by field.</summary>
public sealed record JobPlan
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

    /// <summary>The function's name.</summary>
    public required string FunctionName { get; init; }

    /// <summary>The Pulumi logical name of the job.</summary>
    public required string LogicalName { get; init; }

    /// <summary>The Azure name of the job.</summary>
    public required string JobName { get; init; }

    /// <summary>The image the job runs: the same build as every function's.</summary>
    public required ImagePlan Image { get; init; }

    /// <summary>The job's own user-assigned identity.</summary>
    public required IdentityPlan Identity { get; init; }

    /// <summary>The identity's roles: AcrPull and the data roles its declaration asks for, each on that one resource.</summary>
    public required IReadOnlyList<RoleAssignmentPlan> Roles { get; init; }

    /// <summary>The container's environment, in order.</summary>
    public required IReadOnlyList<EnvVarPlan> Env { get; init; }

    /// <summary>The job's secrets, referenced by <see cref="EnvValueSource.SecretRef"/> variables.</summary>
    public required IReadOnlyList<SecretPlan> Secrets { get; init; }

    /// <summary>The schedule trigger's cron expression (UTC, five fields).</summary>
    public required string CronExpression { get; init; }

    /// <summary>Seconds a run may take before the platform stops it.</summary>
    public required int ReplicaTimeoutSeconds { get; init; }

    /// <summary>How many times a failed run is retried.</summary>
    public required int ReplicaRetryLimit { get; init; }

    /// <summary>CPU cores of the replica.</summary>
    public required double Cpu { get; init; }

    /// <summary>Memory of the replica, such as <c>0.5Gi</c>.</summary>
    public required string Memory { get; init; }

    /// <summary>Seconds between SIGTERM and SIGKILL the runtime plans with (<c>EdgeRuntime__TerminationGracePeriodSeconds</c>), at most <see cref="PlatformGracePeriodSeconds"/>.</summary>
    public required int TerminationGracePeriodSeconds { get; init; }

    /// <summary>The value of a literal environment variable.</summary>
    /// <param name="name">The variable name.</param>
    /// <returns>Its value, or null when the job has no such literal variable.</returns>
    public string? LiteralEnv(string name) =>
        Env.FirstOrDefault(e => e.Source == EnvValueSource.Literal && string.Equals(e.Name, name, StringComparison.Ordinal))?.Value;
}
