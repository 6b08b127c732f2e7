using EdgeStack.Contracts;

namespace EdgeStack.Azure;

/// <summary>Where the storage account is and how to reach it.</summary>
/// <remarks>
/// <para>Exactly one of two forms: <see cref="ConnectionString"/> for local development (Azurite's well-known
/// account), or the three service endpoints with a managed identity in Azure, where no account key exists in
/// app settings. Bound from the <c>Storage</c> section and <c>AZURE_CLIENT_ID</c> (<see cref="SettingNames"/>); validated at start.</para>
/// </remarks>
public sealed class EdgeStackStorageOptions
{
    /// <summary>Gets or sets the storage connection string (<c>Storage:ConnectionString</c>): local only.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Gets or sets the blob service endpoint (<c>Storage:BlobEndpoint</c>).</summary>
    public string? BlobEndpoint { get; set; }

    /// <summary>Gets or sets the queue service endpoint (<c>Storage:QueueEndpoint</c>).</summary>
    public string? QueueEndpoint { get; set; }

    /// <summary>Gets or sets the table service endpoint (<c>Storage:TableEndpoint</c>).</summary>
    public string? TableEndpoint { get; set; }

    /// <summary>Gets or sets the client id of the user-assigned managed identity (<c>AZURE_CLIENT_ID</c>).</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>Gets or sets whether the app creates the container, queues and table it uses at start when they are missing (default true).</summary>
    public bool CreateResources { get; set; } = true;

    /// <summary>Gets whether the connection string form is in use.</summary>
    public bool UsesConnectionString => !string.IsNullOrWhiteSpace(ConnectionString);
}
