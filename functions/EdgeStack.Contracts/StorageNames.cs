namespace EdgeStack.Contracts;

/// <summary>The storage resources EdgeStack creates and its apps use, named once.</summary>
public static class StorageNames
{
    /// <summary>The private blob container uploads land in.</summary>
    public const string UploadsContainer = "uploads";

    /// <summary>The queue that carries durable background work and long jobs.</summary>
    public const string JobsQueue = "jobs";

    /// <summary>The queue messages go to after failing too often or being unreadable.</summary>
    public const string PoisonQueue = "jobs-poison";

    /// <summary>The table the analytics sink writes to.</summary>
    public const string AnalyticsTable = "analytics";
}
