using EdgeStack.Contracts;
using Microsoft.Extensions.Options;

namespace EdgeStack.Runtime.Internal;

/// <summary>Checks each setting's range and the grace chain: readiness delay &lt; drain budget &lt; shutdown timeout &lt; grace period.</summary>
internal sealed class EdgeRuntimeOptionsValidator : IValidateOptions<EdgeRuntimeOptions>
{
    public const int MaxGracePeriodSeconds = 600;

    /// <summary>Durable work stays hidden for the task timeout plus 5 s, and a queue message can be hidden for at most 7 days.</summary>
    public const double MaxTaskTimeoutSeconds = (7 * 24 * 3600) - 5;

    /// <summary>A year: a bound that keeps every derived <see cref="TimeSpan"/> representable.</summary>
    private const double MaxSeconds = 365 * 24 * 3600;

    public ValidateOptionsResult Validate(string? name, EdgeRuntimeOptions options)
    {
        var failures = new List<string>();
        var grace = options.TerminationGracePeriodSeconds;
        if (grace is < 1 or > MaxGracePeriodSeconds)
        {
            failures.Add($"{SettingNames.TerminationGracePeriodSeconds} must be between 1 and {MaxGracePeriodSeconds}; it is {grace}.");
        }

        if (!(options.TaskTimeoutSeconds is > 0 and <= MaxTaskTimeoutSeconds))
        {
            failures.Add($"{SettingNames.TaskTimeoutSeconds} must be greater than 0 and at most {MaxTaskTimeoutSeconds} (a queue message hides for at most 7 days); it is {options.TaskTimeoutSeconds}.");
        }

        if (!(options.WallClockLimitSeconds is >= 0 and <= MaxSeconds))
        {
            failures.Add($"{SettingNames.WallClockLimitSeconds} must be 0 (off) to {MaxSeconds}; it is {options.WallClockLimitSeconds}.");
        }

        if (options.ReplicaTimeoutSeconds != 0 && !(options.ReplicaTimeoutSeconds > grace && options.ReplicaTimeoutSeconds <= MaxSeconds))
        {
            failures.Add($"{SettingNames.ReplicaTimeoutSeconds} must be 0 (not a job) or more than {SettingNames.TerminationGracePeriodSeconds} ({grace}), at most {MaxSeconds}: wall_clock fires a grace period before it; it is {options.ReplicaTimeoutSeconds}.");
        }

        if (!(options.CpuTimeLimitSeconds is >= 0 and <= MaxSeconds))
        {
            failures.Add($"{SettingNames.CpuTimeLimitSeconds} must be 0 (off) to {MaxSeconds}; it is {options.CpuTimeLimitSeconds}.");
        }

        if (!(options.MemoryWarningRatio is >= 0 and <= 1))
        {
            failures.Add($"{SettingNames.MemoryWarningRatio} must be between 0 (off) and 1; it is {options.MemoryWarningRatio}.");
        }

        if (!(options.LimitCheckIntervalSeconds is > 0 and <= 3600))
        {
            failures.Add($"{SettingNames.LimitCheckIntervalSeconds} must be greater than 0 and at most 3600; it is {options.LimitCheckIntervalSeconds}.");
        }

        if (!(options.ReadinessDelaySeconds is >= 0 and <= MaxGracePeriodSeconds))
        {
            failures.Add($"{SettingNames.ReadinessDelaySeconds} must be between 0 and {MaxGracePeriodSeconds}; it is {options.ReadinessDelaySeconds}.");
        }

        if (options.ShutdownTimeoutSeconds is { } shutdownSetting && !(shutdownSetting is > 0 and <= MaxGracePeriodSeconds))
        {
            failures.Add($"{SettingNames.ShutdownTimeoutSeconds} must be greater than 0 and at most {MaxGracePeriodSeconds}; it is {shutdownSetting}.");
        }

        if (options.DrainBudgetSeconds is { } drainSetting && !(drainSetting is > 0 and <= MaxGracePeriodSeconds))
        {
            failures.Add($"{SettingNames.DrainBudgetSeconds} must be greater than 0 and at most {MaxGracePeriodSeconds}; it is {drainSetting}.");
        }

        if (failures.Count > 0)
        {
            // The chain below derives TimeSpans from these numbers; out of range, they may not be representable.
            return ValidateOptionsResult.Fail(failures);
        }

        var shutdown = options.ShutdownTimeout.TotalSeconds;
        var drain = options.DrainBudget.TotalSeconds;
        var delay = options.ReadinessDelaySeconds;
        if (!(delay < drain && drain > 0 && drain < shutdown && shutdown < grace))
        {
            failures.Add(
                $"The grace chain is broken: {SettingNames.ReadinessDelaySeconds} ({delay}) < {SettingNames.DrainBudgetSeconds} ({drain}) " +
                $"< {SettingNames.ShutdownTimeoutSeconds} ({shutdown}) < {SettingNames.TerminationGracePeriodSeconds} ({grace}) must hold, " +
                "with a drain budget greater than 0.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
