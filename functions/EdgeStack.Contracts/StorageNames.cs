namespace EdgeStack.Contracts;

/// <summary>The storage resources EdgeStack creates and its apps use, named once.</summary>
public static class StorageNames
{
    /// <summary>The private blob container uploads land in.</summary>
    public const string UploadsContainer = "uploads";

    /// <summary>The queue a function's durable work goes to; the function consumes it itself.</summary>
    /// <param name="functionName">The function's name, such as <c>upload</c>.</param>
    /// <returns>For example <c>upload-jobs</c>.</returns>
    public static string WorkQueueOf(string functionName)
    {
        ArgumentException.ThrowIfNullOrEmpty(functionName);
        return functionName + "-jobs";
    }

    /// <summary>The queue a function's durable work goes to after failing too often or being unreadable.</summary>
    /// <param name="functionName">The function's name, such as <c>upload</c>.</param>
    /// <returns>For example <c>upload-jobs-poison</c>.</returns>
    public static string PoisonQueueOf(string functionName)
    {
        ArgumentException.ThrowIfNullOrEmpty(functionName);
        return functionName + "-jobs-poison";
    }

    /// <summary>The table the analytics sink writes to.</summary>
    public const string AnalyticsTable = "analytics";
}
