using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using EdgeStack.Azure.Internal;
using EdgeStack.Contracts;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeStack.Azure;

/// <summary>Adds EdgeStack's storage: blob, queue and table clients.</summary>
public static class EdgeStackStorageHostApplicationBuilderExtensions
{
    /// <summary>The log category Azure.Core's HTTP pipeline writes to, through the Azure client factory.</summary>
    private const string AzureCoreLogCategory = "Azure.Core";

    /// <summary>
    /// Registers <see cref="BlobServiceClient"/>, <see cref="QueueServiceClient"/> and <see cref="TableServiceClient"/>
    /// from the <c>Storage</c> settings (a connection string locally, endpoints and a managed identity in Azure), and
    /// creates missing resources at start. Calling it again does nothing.
    /// </summary>
    /// <param name="builder">The app's builder.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IHostApplicationBuilder AddEdgeStackStorage(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(IValidateOptions<EdgeStackStorageOptions>)))
        {
            return builder;
        }

        services.AddOptions<EdgeStackStorageOptions>()
            .BindConfiguration(SettingNames.StorageSection)
            .Configure<IConfiguration>((options, configuration) => options.ManagedIdentityClientId ??= configuration[SettingNames.AzureClientId])
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EdgeStackStorageOptions>, EdgeStackStorageOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        services.AddAzureClients(clients =>
        {
            // The factories read validated options when a client is first needed, after ValidateOnStart has run.
            clients.UseCredential(sp => CreateCredential(sp.GetRequiredService<IOptions<EdgeStackStorageOptions>>().Value));
            clients.AddClient<BlobServiceClient, BlobClientOptions>((clientOptions, credential, sp) =>
            {
                var storage = sp.GetRequiredService<IOptions<EdgeStackStorageOptions>>().Value;
                return storage.UsesConnectionString
                    ? new BlobServiceClient(storage.ConnectionString, clientOptions)
                    : new BlobServiceClient(new Uri(storage.BlobEndpoint!), credential, clientOptions);
            });
            clients.AddClient<QueueServiceClient, QueueClientOptions>((clientOptions, credential, sp) =>
            {
                var storage = sp.GetRequiredService<IOptions<EdgeStackStorageOptions>>().Value;
                return storage.UsesConnectionString
                    ? new QueueServiceClient(storage.ConnectionString, clientOptions)
                    : new QueueServiceClient(new Uri(storage.QueueEndpoint!), credential, clientOptions);
            });
            clients.AddClient<TableServiceClient, TableClientOptions>((clientOptions, credential, sp) =>
            {
                var storage = sp.GetRequiredService<IOptions<EdgeStackStorageOptions>>().Value;
                return storage.UsesConnectionString
                    ? new TableServiceClient(storage.ConnectionString, clientOptions)
                    : new TableServiceClient(new Uri(storage.TableEndpoint!), credential, clientOptions);
            });
        });

        // Azure.Core logs every non-success response as a warning, expected ones too (a 404 the worker checks for, a
        // 409 from a race to create a resource); the code that gets them reports what matters with its own event ids.
        // Its errors still show; a Logging:LogLevel:Azure.Core setting overrides this.
        if (builder.Configuration[$"Logging:LogLevel:{AzureCoreLogCategory}"] is null)
        {
            builder.Logging.AddFilter(AzureCoreLogCategory, LogLevel.Error);
        }
        services.AddHostedService<StorageResourceInitializer>();
        return builder;
    }

    private static DefaultAzureCredential CreateCredential(EdgeStackStorageOptions storage) =>
        new DefaultAzureCredential(new DefaultAzureCredentialOptions
        {
            // The user-assigned identity; null lets DefaultAzureCredential use the system identity or a developer login.
            ManagedIdentityClientId = string.IsNullOrWhiteSpace(storage.ManagedIdentityClientId) ? null : storage.ManagedIdentityClientId,
        });
}
