namespace EdgeStack.Blueprint;

/// <summary>The names of the stack outputs, as <c>pulumi stack output</c> shows them.</summary>
public static class StackOutputNames
{
    /// <summary>The resource group's name.</summary>
    public const string ResourceGroupName = "resourceGroupName";

    /// <summary>The storage account's name.</summary>
    public const string StorageAccountName = "storageAccountName";

    /// <summary>The names of the blob containers the functions declared.</summary>
    public const string Containers = "containers";

    /// <summary>The names of the queues: declared ones and each durable function's work and poison queues.</summary>
    public const string Queues = "queues";

    /// <summary>The names of the tables the functions declared.</summary>
    public const string Tables = "tables";

    /// <summary>The registry's login server.</summary>
    public const string RegistryServer = "registryServer";

    /// <summary>The URL output of a function with ingress.</summary>
    /// <param name="functionName">The function's name.</param>
    /// <returns>For example <c>helloUrl</c>.</returns>
    public static string FunctionUrl(string functionName) => functionName + "Url";

    /// <summary>The secret output with a function's key (<c>pulumi stack output --show-secrets helloKey</c>).</summary>
    /// <param name="functionName">The function's name.</param>
    /// <returns>For example <c>helloKey</c>.</returns>
    public static string FunctionKey(string functionName) => functionName + "Key";

    /// <summary>The secret output holding the analytics sink's read key (<c>GET /events</c>).</summary>
    /// <param name="functionName">The sink's name.</param>
    /// <returns>For example <c>analyticsReadKey</c>.</returns>
    public static string FunctionReadKey(string functionName) => functionName + "ReadKey";
}
