namespace EdgeStack.Blueprint;

/// <summary>The validated per-function settings of a stack.</summary>
/// <remarks>
/// Read from the stack config key <c>edgestack:functions</c>, one object per function
/// (<c>functions.&lt;name&gt;.&lt;setting&gt;</c>); every setting has a default. See <c>docs/deploy.md</c>.
/// </remarks>
public sealed record FunctionSettings
{
    /// <summary>The default CPU cores per replica.</summary>
    public const double DefaultCpu = 0.25;

    /// <summary>The default memory per replica, the pair of <see cref="DefaultCpu"/>.</summary>
    public const string DefaultMemory = "0.5Gi";

    /// <summary>The default minimum replica count: scale to zero.</summary>
    public const int DefaultMinReplicas = 0;

    /// <summary>The default maximum replica count.</summary>
    public const int DefaultMaxReplicas = 10;

    /// <summary>The default grace period between SIGTERM and SIGKILL, in seconds.</summary>
    public const int DefaultTerminationGracePeriodSeconds = 30;

    /// <summary>The default per-task timeout in seconds (Supabase's free wall clock).</summary>
    public const int DefaultTaskTimeoutSeconds = 150;

    /// <summary>The default replica timeout of a scheduled function's run, in seconds (Container Apps' own default).</summary>
    public const int DefaultReplicaTimeoutSeconds = 1800;

    /// <summary>The longest replica timeout the stack accepts: a day.</summary>
    public const int MaxReplicaTimeoutSeconds = 86400;

    /// <summary>The default number of retries of a failed run.</summary>
    public const int DefaultReplicaRetryLimit = 1;

    /// <summary>The most retries of a failed run the stack accepts.</summary>
    public const int MaxReplicaRetryLimit = 10;

    /// <summary>The function's declaration, from its <c>edgestack.json</c>.</summary>
    public required FunctionDeclaration Declaration { get; init; }

    /// <summary>Gets the function's name.</summary>
    public string Name => Declaration.Name;

    /// <summary>CPU cores per replica (0.25 to 2 in steps of 0.25).</summary>
    public double Cpu { get; init; } = DefaultCpu;

    /// <summary>Memory per replica, twice the CPU in Gi (for example <c>0.5Gi</c> for 0.25 cores).</summary>
    public string Memory { get; init; } = DefaultMemory;

    /// <summary>The fewest replicas; zero lets the app scale to zero.</summary>
    public int MinReplicas { get; init; } = DefaultMinReplicas;

    /// <summary>The most replicas.</summary>
    public int MaxReplicas { get; init; } = DefaultMaxReplicas;

    /// <summary>Seconds between SIGTERM and SIGKILL; the container and the runtime both get it.</summary>
    public int TerminationGracePeriodSeconds { get; init; } = DefaultTerminationGracePeriodSeconds;

    /// <summary>Seconds a background task may run before its token is cancelled.</summary>
    public int TaskTimeoutSeconds { get; init; } = DefaultTaskTimeoutSeconds;

    /// <summary>Whether the ingress is public; false keeps it inside the environment. HTTP apps only.</summary>
    public bool ExternalIngress { get; init; }

    /// <summary>Whether callers must present the function key.</summary>
    public bool RequireKey { get; init; } = true;

    /// <summary>Seconds a scheduled function's run may take before the platform stops it; the runtime fires <c>wall_clock</c> a grace period earlier. Scheduled functions only.</summary>
    public int ReplicaTimeoutSeconds { get; init; } = DefaultReplicaTimeoutSeconds;

    /// <summary>How many times a failed run (non-zero exit code) of a scheduled function is retried. Scheduled functions only.</summary>
    public int ReplicaRetryLimit { get; init; } = DefaultReplicaRetryLimit;
}
