namespace EdgeStack.Blueprint;

/// <summary>The Pulumi logical names of the stack's resources: lowercase-kebab and stable, since a rename replaces the resource.</summary>
public static class LogicalNames
{
    /// <summary>The resource group.</summary>
    public const string ResourceGroup = "resource-group";

    /// <summary>The Log Analytics workspace.</summary>
    public const string Workspace = "log-analytics";

    /// <summary>The Container Apps managed environment.</summary>
    public const string Environment = "container-apps-environment";

    /// <summary>The container registry.</summary>
    public const string Registry = "registry";

    /// <summary>The user-assigned identity.</summary>
    public const string Identity = "identity";

    /// <summary>The storage account.</summary>
    public const string StorageAccount = "storage";

    /// <summary>A blob container, by its name.</summary>
    /// <param name="containerName">The container's name.</param>
    /// <returns>For example <c>uploads-container</c>.</returns>
    public static string Container(string containerName) => containerName + "-container";

    /// <summary>A table, by its name.</summary>
    /// <param name="tableName">The table's name.</param>
    /// <returns>For example <c>analytics-table</c>.</returns>
    public static string Table(string tableName) => tableName + "-table";

    /// <summary>A queue, by its name.</summary>
    /// <param name="queueName">The queue's name.</param>
    /// <returns>For example <c>queue-jobs</c>.</returns>
    public static string Queue(string queueName) => "queue-" + queueName;

    /// <summary>A function's image.</summary>
    /// <param name="functionName">The function's name.</param>
    /// <returns>For example <c>image-hello</c>.</returns>
    public static string Image(string functionName) => "image-" + functionName;

    /// <summary>A function's Container App.</summary>
    /// <param name="functionName">The function's name.</param>
    /// <returns>For example <c>app-hello</c>.</returns>
    public static string App(string functionName) => "app-" + functionName;

    /// <summary>A scheduled function's Container Apps Job.</summary>
    /// <param name="functionName">The function's name.</param>
    /// <returns>For example <c>job-maintenance</c>.</returns>
    public static string Job(string functionName) => "job-" + functionName;
}
