namespace EdgeStack.Functions.Maintenance;

/// <summary>What a maintenance run cleans up and rolls up.</summary>
/// <remarks>Bound from the <c>Maintenance</c> section (<c>Maintenance__StagingMaxAgeHours</c> in the environment), validated at start.</remarks>
internal sealed class MaintenanceOptions
{
    public const string SectionName = "Maintenance";

    /// <summary>The most days <see cref="RollupDays"/> may cover: a year.</summary>
    public const int MaxRollupDays = 366;

    /// <summary>The oldest staged payload, in hours, a run keeps (default 24; 1 to 8760): work staged longer ago is long done or poisoned.</summary>
    public double StagingMaxAgeHours { get; set; } = 24;

    /// <summary>How many UTC days, today included, each run recomputes (default 7, 1 to 366), so late events and missed runs are caught up.</summary>
    public int RollupDays { get; set; } = 7;

    public static string Key(string name) => SectionName + ":" + name;
}
