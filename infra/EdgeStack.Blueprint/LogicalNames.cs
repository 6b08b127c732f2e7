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

    /// <summary>The Container Apps environment's virtual network.</summary>
    public const string VirtualNetwork = "virtual-network";

    /// <summary>The environment's subnet in the virtual network.</summary>
    public const string EnvironmentSubnet = "environment-subnet";

    /// <summary>The container registry.</summary>
    public const string Registry = "registry";

    /// <summary>The storage account.</summary>
    public const string StorageAccount = "storage";

    /// <summary>The storage account's blob service settings (soft delete).</summary>
    public const string BlobService = "storage-blob-service";

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

    /// <summary>A function's generated key.</summary>
    /// <param name="functionName">The function's name.</param>
    /// <returns>For example <c>key-hello</c>.</returns>
    public static string FunctionKey(string functionName) => "key-" + functionName;

    /// <summary>The generated read key of the analytics sink.</summary>
    /// <param name="functionName">The sink's name.</param>
    /// <returns>For example <c>read-key-analytics</c>.</returns>
    public static string FunctionReadKey(string functionName) => "read-key-" + functionName;

    /// <summary>A function's user-assigned identity.</summary>
    /// <param name="functionName">The function's name.</param>
    /// <returns>For example <c>identity-hello</c>.</returns>
    public static string Identity(string functionName) => "identity-" + functionName;

    /// <summary>A role assignment of a function's identity.</summary>
    /// <param name="functionName">The function's name.</param>
    /// <param name="grant">What is granted on what, such as <c>acr-pull</c> or <c>queue-upload-jobs-contributor</c>.</param>
    /// <returns>For example <c>role-upload-acr-pull</c>.</returns>
    public static string Role(string functionName, string grant) => $"role-{functionName}-{grant}";

    /// <summary>A scheduled function's Container Apps Job.</summary>
    /// <param name="functionName">The function's name.</param>
    /// <returns>For example <c>job-maintenance</c>.</returns>
    public static string Job(string functionName) => "job-" + functionName;
}
