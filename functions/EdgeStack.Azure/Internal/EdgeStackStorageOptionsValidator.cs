using EdgeStack.Contracts;
using Microsoft.Extensions.Options;

namespace EdgeStack.Azure.Internal;

/// <summary>Accepts a connection string alone, or the three endpoints (with an optional identity) alone; every message names the setting.</summary>
internal sealed class EdgeStackStorageOptionsValidator : IValidateOptions<EdgeStackStorageOptions>
{
    public ValidateOptionsResult Validate(string? name, EdgeStackStorageOptions options)
    {
        var failures = new List<string>();
        var endpoints = new (string Setting, string? Value)[]
        {
            (SettingNames.StorageBlobEndpoint, options.BlobEndpoint),
            (SettingNames.StorageQueueEndpoint, options.QueueEndpoint),
            (SettingNames.StorageTableEndpoint, options.TableEndpoint),
        };
        var anyEndpoint = endpoints.Any(e => !string.IsNullOrWhiteSpace(e.Value));
        var endpointNames = string.Join(", ", endpoints.Select(e => e.Setting));

        if (options.UsesConnectionString)
        {
            if (anyEndpoint)
            {
                failures.Add($"{SettingNames.StorageConnectionString} and {endpointNames} are both set: use the connection string locally (Azurite) or the endpoints with a managed identity in Azure, not both.");
            }

            if (!string.IsNullOrWhiteSpace(options.ManagedIdentityClientId))
            {
                failures.Add($"{SettingNames.StorageConnectionString} is set together with {SettingNames.AzureClientId}: in Azure the apps use the endpoints and the managed identity, never an account key; unset {SettingNames.StorageConnectionString}.");
            }
        }
        else if (!anyEndpoint)
        {
            failures.Add($"No storage is configured: set {SettingNames.StorageConnectionString} (local, Azurite) or {endpointNames} (Azure, with {SettingNames.AzureClientId} for the user-assigned identity).");
        }
        else
        {
            foreach (var (setting, value) in endpoints)
            {
                if (string.IsNullOrWhiteSpace(value))
                {
                    failures.Add($"{setting} is required when storage is reached through endpoints ({endpointNames}).");
                }
                else if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
                {
                    failures.Add($"{setting} must be an absolute http(s) URI; it is '{value}'.");
                }
            }

            if (!string.IsNullOrWhiteSpace(options.ManagedIdentityClientId) && !Guid.TryParse(options.ManagedIdentityClientId, out _))
            {
                failures.Add($"{SettingNames.AzureClientId} must be the identity's client id (a GUID); it is '{options.ManagedIdentityClientId}'.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
