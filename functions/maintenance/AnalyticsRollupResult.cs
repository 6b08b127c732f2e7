namespace EdgeStack.Functions.Maintenance;

/// <summary>What an analytics rollup did: days recomputed, events counted, rows written, left as they were and deleted.</summary>
internal sealed record AnalyticsRollupResult(int Days, long Events, int Written, int Unchanged, int Deleted);
