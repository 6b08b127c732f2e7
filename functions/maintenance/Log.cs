namespace EdgeStack.Functions.Maintenance;

/// <summary>The maintenance function's log events (ids 230–239): a run's figures.</summary>
internal static partial class Log
{
    [LoggerMessage(230, LogLevel.Information, "Staging cleanup: {DeletedBlobs} staged payloads older than {MaxAgeHours} h deleted ({DeletedBytes} bytes), {KeptBlobs} kept.", EventName = "StagingCleaned")]
    public static partial void StagingCleaned(ILogger logger, int deletedBlobs, double maxAgeHours, long deletedBytes, int keptBlobs);

    [LoggerMessage(231, LogLevel.Information, "Analytics rollup: {Days} days, {Events} events; {WrittenRows} daily rows written, {UnchangedRows} unchanged, {DeletedRows} deleted.", EventName = "AnalyticsRolledUp")]
    public static partial void AnalyticsRolledUp(ILogger logger, int days, long events, int writtenRows, int unchangedRows, int deletedRows);

    [LoggerMessage(232, LogLevel.Debug, "Analytics rollup of {Day}: {Events} events in {Rows} rows.", EventName = "DayRolledUp")]
    public static partial void DayRolledUp(ILogger logger, string day, long events, int rows);
}
