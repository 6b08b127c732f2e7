using EdgeStack.Contracts;
using Microsoft.Extensions.Options;

namespace EdgeStack.Runtime.Internal;

/// <summary>Checks each setting's range and the grace chain: readiness delay &lt; drain budget &lt; shutdown timeout &lt; grace period.</summary>
internal sealed class EdgeRuntimeOptionsValidator : IValidateOptions<EdgeRuntimeOptions>
{
    public const int MaxGracePeriodSeconds = 600;

    public ValidateOptionsResult Validate(string? name, EdgeRuntimeOptions options)
    {
        var failures = new List<string>();
        var grace = options.TerminationGracePeriodSeconds;
        if (grace is < 1 or > MaxGracePeriodSeconds)
        {
            failures.Add($"{SettingNames.TerminationGracePeriodSeconds} must be between 1 and {MaxGracePeriodSeconds}; it is {grace}.");
        }

        if (!(options.TaskTimeoutSeconds > 0))
        {
            failures.Add($"{SettingNames.TaskTimeoutSeconds} must be greater than 0; it is {options.TaskTimeoutSeconds}.");
        }

        if (!(options.WallClockLimitSeconds >= 0))
        {
            failures.Add($"{SettingNames.WallClockLimitSeconds} must be 0 (off) or more; it is {options.WallClockLimitSeconds}.");
        }

        if (!(options.MemoryWarningRatio is >= 0 and <= 1))
        {
            failures.Add($"{SettingNames.MemoryWarningRatio} must be between 0 (off) and 1; it is {options.MemoryWarningRatio}.");
        }

        if (!(options.LimitCheckIntervalSeconds > 0))
        {
            failures.Add($"{SettingNames.LimitCheckIntervalSeconds} must be greater than 0; it is {options.LimitCheckIntervalSeconds}.");
        }

        if (!(options.ReadinessDelaySeconds >= 0))
        {
            failures.Add($"{SettingNames.ReadinessDelaySeconds} must be 0 or more; it is {options.ReadinessDelaySeconds}.");
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
