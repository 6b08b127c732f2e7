using Microsoft.Extensions.Options;

namespace EdgeStack.Functions.Maintenance;

/// <summary>One maintenance run: the staging cleanup, then the analytics rollup, each logging its figures.</summary>
internal sealed class MaintenanceRun(StagingCleanup cleanup, AnalyticsRollup rollup, IOptions<MaintenanceOptions> options, ILogger<MaintenanceRun> logger)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var cleaned = await cleanup.RunAsync(cancellationToken);
        Log.StagingCleaned(logger, cleaned.Deleted, options.Value.StagingMaxAgeHours, cleaned.DeletedBytes, cleaned.Kept);

        var rolledUp = await rollup.RunAsync(cancellationToken);
        Log.AnalyticsRolledUp(logger, rolledUp.Days, rolledUp.Events, rolledUp.Written, rolledUp.Unchanged, rolledUp.Deleted);
    }
}
