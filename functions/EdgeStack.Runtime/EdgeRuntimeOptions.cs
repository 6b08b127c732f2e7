using EdgeStack.Contracts;

namespace EdgeStack.Runtime;

/// <summary>Limits and the shutdown timing of an EdgeStack function instance.</summary>
/// <remarks>
/// <para>Bound from the <c>EdgeRuntime</c> configuration section (<see cref="SettingNames"/>), validated at start.</para>
/// <para>
/// The grace chain: the platform sends SIGTERM and waits <see cref="TerminationGracePeriodSeconds"/> before SIGKILL.
/// The host gets <see cref="ShutdownTimeoutSeconds"/> to stop, and background tasks get
/// <see cref="DrainBudgetSeconds"/> (counted from SIGTERM) to settle; then their tokens are cancelled,
/// durable work is handed to the queue and the rest is reported as abandoned. Each number must be less
/// than the one before it. Left unset, the two inner numbers are derived from the grace period, one
/// tenth of it (at least a second, at most a quarter of it) apart: 30 → 27 → 24, 6 → 5 → 4, 2 → 1.5 → 1, 1 → 0.75 → 0.5.
/// </para>
/// </remarks>
public sealed class EdgeRuntimeOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = SettingNames.RuntimeSection;

    /// <summary>Gets or sets the seconds between SIGTERM and SIGKILL; the container's terminationGracePeriodSeconds (default 30, at most 600).</summary>
    public int TerminationGracePeriodSeconds { get; set; } = 30;

    /// <summary>Gets or sets the seconds the host may take to stop; unset derives it from the grace period.</summary>
    public double? ShutdownTimeoutSeconds { get; set; }

    /// <summary>Gets or sets the seconds, from SIGTERM, background tasks get to settle; unset derives it from the shutdown timeout.</summary>
    public double? DrainBudgetSeconds { get; set; }

    /// <summary>Gets or sets the seconds the listener keeps accepting after readiness turns false (default 0).</summary>
    public double ReadinessDelaySeconds { get; set; }

    /// <summary>Gets or sets the per-task timeout in seconds (default 150, Supabase's free wall clock).</summary>
    public double TaskTimeoutSeconds { get; set; } = 150;

    /// <summary>Gets or sets the instance wall clock limit in seconds; at the limit the instance retires (default 0: off).</summary>
    public double WallClockLimitSeconds { get; set; }

    /// <summary>Gets or sets the processor time, in seconds, the instance may use before it retires (default 0: off).</summary>
    public double CpuTimeLimitSeconds { get; set; }

    /// <summary>Gets or sets the share of the GC's available memory at which the instance retires (default 0.9; 0 turns it off).</summary>
    public double MemoryWarningRatio { get; set; } = 0.9;

    /// <summary>Gets or sets how often, in seconds, the soft limits are checked (default 1).</summary>
    public double LimitCheckIntervalSeconds { get; set; } = 1;

    /// <summary>Gets or sets the seconds a scheduled function's run may take before the platform stops it, its job's replica timeout (default 0: not a job); the run gets <c>wall_clock</c> a grace period before it.</summary>
    public double ReplicaTimeoutSeconds { get; set; }

    /// <summary>Gets or sets whether a background failure nobody handled retires the instance (default false: it keeps serving).</summary>
    public bool RetireOnUnhandledRejection { get; set; }

    /// <summary>Gets or sets whether console logs are JSON lines; unset means JSON inside a container only.</summary>
    public bool? JsonConsole { get; set; }

    /// <summary>Gets the host shutdown timeout in effect.</summary>
    public TimeSpan ShutdownTimeout => TimeSpan.FromSeconds(ShutdownTimeoutSeconds ?? TerminationGracePeriodSeconds - Step);

    /// <summary>Gets the drain budget in effect, counted from SIGTERM.</summary>
    public TimeSpan DrainBudget => TimeSpan.FromSeconds(DrainBudgetSeconds ?? ShutdownTimeout.TotalSeconds - Step);

    /// <summary>Gets the wall clock limit in effect, in seconds (0: off): the sooner of <see cref="WallClockLimitSeconds"/> and a grace period before the replica timeout, so the drain ends before the platform's stop.</summary>
    public double EffectiveWallClockLimitSeconds
    {
        get
        {
            // 0 when not a job (no replica timeout).
            var beforeReplicaTimeout = Math.Max(ReplicaTimeoutSeconds - TerminationGracePeriodSeconds, 0);
            return (WallClockLimitSeconds, beforeReplicaTimeout) switch
            {
                ( > 0, > 0) => Math.Min(WallClockLimitSeconds, beforeReplicaTimeout),
                ( > 0, _) => WallClockLimitSeconds,
                _ => beforeReplicaTimeout,
            };
        }
    }

    /// <summary>Gets the per-task timeout.</summary>
    public TimeSpan TaskTimeout => TimeSpan.FromSeconds(TaskTimeoutSeconds);

    /// <summary>Gets how long durable work stays hidden on the queue while one consumer runs it: the task timeout plus 5 s, so the run ends before another consumer sees the item.</summary>
    public TimeSpan DurableVisibilityTimeout => TaskTimeout + TimeSpan.FromSeconds(5);

    /// <summary>Gets what the process keeps of the grace period to exit in: a step, at most a second.</summary>
    internal TimeSpan ExitMargin => TimeSpan.FromSeconds(Math.Min(1, Step));

    /// <summary>One tenth of the grace period, at least a second, but at most a quarter of it: every grace period from 1 s up derives a chain that holds.</summary>
    private double Step => Math.Min(Math.Max(1, TerminationGracePeriodSeconds / 10.0), TerminationGracePeriodSeconds / 4.0);
}
