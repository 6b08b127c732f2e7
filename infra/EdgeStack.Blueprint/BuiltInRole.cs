namespace EdgeStack.Blueprint;

/// <summary>An Azure built-in role the stack grants: its display name and its id, which is the same in every subscription.</summary>
/// <param name="Name">The display name, such as <c>AcrPull</c>.</param>
/// <param name="DefinitionGuid">The role definition's id.</param>
public sealed record BuiltInRole(string Name, string DefinitionGuid)
{
    /// <summary>Pull images from a registry.</summary>
    public static BuiltInRole AcrPull { get; } = new("AcrPull", "7f951dda-4ed3-4680-a7ca-43fe172d538d");

    /// <summary>Read blobs.</summary>
    public static BuiltInRole StorageBlobDataReader { get; } = new("Storage Blob Data Reader", "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1");

    /// <summary>Read, write and delete blobs.</summary>
    public static BuiltInRole StorageBlobDataContributor { get; } = new("Storage Blob Data Contributor", "ba92f5b4-2d11-453d-a403-e96b0029c9fe");

    /// <summary>Read queue messages (peek), and the queue's properties.</summary>
    public static BuiltInRole StorageQueueDataReader { get; } = new("Storage Queue Data Reader", "19e7f393-937e-4f77-808e-94535e297925");

    /// <summary>Read, add, update and delete queue messages.</summary>
    public static BuiltInRole StorageQueueDataContributor { get; } = new("Storage Queue Data Contributor", "974c5e8b-45b9-4653-ba55-5f855dd0fb88");

    /// <summary>Read table entities.</summary>
    public static BuiltInRole StorageTableDataReader { get; } = new("Storage Table Data Reader", "76199698-9eea-4c19-bc75-cec21354c6b6");

    /// <summary>Read, write and delete table entities.</summary>
    public static BuiltInRole StorageTableDataContributor { get; } = new("Storage Table Data Contributor", "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3");

    /// <summary>Every role the stack may grant.</summary>
    public static IReadOnlyList<BuiltInRole> All { get; } =
    [
        AcrPull,
        StorageBlobDataReader, StorageBlobDataContributor,
        StorageQueueDataReader, StorageQueueDataContributor,
        StorageTableDataReader, StorageTableDataContributor,
    ];

    /// <summary>The full role definition id ARM expects.</summary>
    /// <param name="subscriptionId">The subscription the stack deploys into.</param>
    /// <returns><c>/subscriptions/{id}/providers/Microsoft.Authorization/roleDefinitions/{guid}</c>.</returns>
    public string DefinitionId(string subscriptionId)
    {
        ArgumentException.ThrowIfNullOrEmpty(subscriptionId);
        return $"/subscriptions/{subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/{DefinitionGuid}";
    }
}
