using Microsoft.Extensions.Options;

namespace EdgeStack.Functions.Maintenance;

/// <summary>Refuses settings out of range at start, naming the setting.</summary>
internal sealed class MaintenanceOptionsValidator : IValidateOptions<MaintenanceOptions>
{
    public const double MaxStagingAgeHours = 365 * 24;

    public ValidateOptionsResult Validate(string? name, MaintenanceOptions options)
    {
        var failures = new List<string>();
        if (!(options.StagingMaxAgeHours is >= 1 and <= MaxStagingAgeHours))
        {
            failures.Add($"{MaintenanceOptions.Key(nameof(MaintenanceOptions.StagingMaxAgeHours))} must be between 1 and {MaxStagingAgeHours}; it is {options.StagingMaxAgeHours}.");
        }

        if (options.RollupDays is < 1 or > MaintenanceOptions.MaxRollupDays)
        {
            failures.Add($"{MaintenanceOptions.Key(nameof(MaintenanceOptions.RollupDays))} must be between 1 and {MaintenanceOptions.MaxRollupDays}; it is {options.RollupDays}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
