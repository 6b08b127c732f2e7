namespace EdgeStack.Functions.Maintenance;

/// <summary>What a staging cleanup did.</summary>
internal sealed record StagingCleanupResult(int Deleted, int Kept, long DeletedBytes);
