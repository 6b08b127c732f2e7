namespace EdgeStack.Blueprint;

/// <summary>The scale rules EdgeStack uses.</summary>
public enum ScaleRuleKind
{
    /// <summary>Scale on concurrent HTTP requests per replica.</summary>
    Http = 1,

    /// <summary>Scale on the length of an Azure Storage queue (KEDA azure-queue), authenticated with the identity.</summary>
    AzureQueue = 2,
}
