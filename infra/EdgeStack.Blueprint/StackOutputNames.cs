namespace EdgeStack.Blueprint;

/// <summary>The names of the stack outputs, as <c>pulumi stack output</c> shows them.</summary>
public static class StackOutputNames
{
    /// <summary>The resource group's name.</summary>
    public const string ResourceGroupName = "resourceGroupName";

    /// <summary>The storage account's name.</summary>
    public const string StorageAccountName = "storageAccountName";

    /// <summary>The uploads blob container's name.</summary>
    public const string UploadsContainerName = "uploadsContainerName";

    /// <summary>The jobs queue's name.</summary>
    public const string JobsQueueName = "jobsQueueName";

    /// <summary>The poison queue's name.</summary>
    public const string PoisonQueueName = "poisonQueueName";

    /// <summary>The analytics table's name.</summary>
    public const string AnalyticsTableName = "analyticsTableName";

    /// <summary>The registry's login server.</summary>
    public const string RegistryServer = "registryServer";

    /// <summary>The URL output of a function with ingress.</summary>
    /// <param name="functionName">The function's name.</param>
    /// <returns>For example <c>helloUrl</c>.</returns>
    public static string FunctionUrl(string functionName) => functionName + "Url";
}
