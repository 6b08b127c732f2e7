using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Options;

namespace EdgeStack.Azure.Internal;

/// <summary>The one credential every storage client of the app shares, made on first use from the validated settings.</summary>
internal sealed class StorageCredential(IOptions<EdgeStackStorageOptions> options)
{
    private readonly Lazy<TokenCredential> _credential = new(() => new DefaultAzureCredential(new DefaultAzureCredentialOptions
    {
        // The user-assigned identity; null lets DefaultAzureCredential use the system identity or a developer login.
        ManagedIdentityClientId = string.IsNullOrWhiteSpace(options.Value.ManagedIdentityClientId) ? null : options.Value.ManagedIdentityClientId,
    }));

    public TokenCredential Value => _credential.Value;
}
