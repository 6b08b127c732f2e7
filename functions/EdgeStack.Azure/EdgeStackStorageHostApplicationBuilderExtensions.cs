using System.Diagnostics.CodeAnalysis;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using EdgeStack.Azure.Internal;
using EdgeStack.Contracts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EdgeStack.Azure;

/// <summary>Adds EdgeStack's storage: blob and queue clients, and table clients for the functions that use tables.</summary>
/// <remarks>
/// The clients are constructed directly, not through a reflection-based client factory, so the function apps publish
/// Native AOT. Table clients are a separate call: Azure.Data.Tables is not Native AOT-compatible (see the README), so an
/// app that never calls <see cref="AddEdgeStackTables"/> compiles none of it.
/// </remarks>
public static class EdgeStackStorageHostApplicationBuilderExtensions
{
    /// <summary>Why <see cref="AddEdgeStackTables"/> warns in a Native AOT app: its analyzers say so at build time, not only at publish.</summary>
    private const string TablesNotAotSafe = "Azure.Data.Tables is not Native AOT-compatible (reflection-based JSON, Azure.Core's TypeBinder): a function that uses tables sets <PublishAot>false</PublishAot> in its csproj.";

    /// <summary>
    /// Registers <see cref="BlobServiceClient"/> and <see cref="QueueServiceClient"/> from the <c>Storage</c> settings (a
    /// connection string locally, endpoints and a managed identity in Azure), and creates the uploads container (and the
    /// function's work queues, with durable work) at start when they are missing. Calling it again does nothing.
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

        // The factories read validated options when a client is first needed, after ValidateOnStart has run; the
        // credential is made once, and only when the settings name endpoints rather than a connection string.
        services.TryAddSingleton<StorageCredential>();
        services.TryAddSingleton(sp =>
        {
            var storage = Storage(sp);
            return storage.UsesConnectionString
                ? new BlobServiceClient(storage.ConnectionString, new BlobClientOptions())
                : new BlobServiceClient(new Uri(storage.BlobEndpoint!), sp.GetRequiredService<StorageCredential>().Value, new BlobClientOptions());
        });
        services.TryAddSingleton(sp =>
        {
            var storage = Storage(sp);
            return storage.UsesConnectionString
                ? new QueueServiceClient(storage.ConnectionString, new QueueClientOptions())
                : new QueueServiceClient(new Uri(storage.QueueEndpoint!), sp.GetRequiredService<StorageCredential>().Value, new QueueClientOptions());
        });
        services.AddHostedService<StorageResourceInitializer>();
        return builder;
    }

    /// <summary>
    /// Adds <see cref="AddEdgeStackStorage"/> and registers <see cref="TableServiceClient"/> from the same settings; creates
    /// the analytics table at start when it is missing. For the functions that use tables, which publish JIT (self-contained):
    /// Azure.Data.Tables is not Native AOT-compatible. Calling it again does nothing.
    /// </summary>
    /// <param name="builder">The app's builder.</param>
    /// <returns>The builder, for chaining.</returns>
    [RequiresUnreferencedCode(TablesNotAotSafe)]
    [RequiresDynamicCode(TablesNotAotSafe)]
    public static IHostApplicationBuilder AddEdgeStackTables(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddEdgeStackStorage();
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(TableServiceClient)))
        {
            return builder;
        }

        services.AddSingleton(sp =>
        {
            var storage = Storage(sp);
            return storage.UsesConnectionString
                ? new TableServiceClient(storage.ConnectionString, new TableClientOptions())
                : new TableServiceClient(new Uri(storage.TableEndpoint!), sp.GetRequiredService<StorageCredential>().Value, new TableClientOptions());
        });
        services.AddHostedService<TableResourceInitializer>();
        return builder;
    }

    private static EdgeStackStorageOptions Storage(IServiceProvider services) =>
        services.GetRequiredService<IOptions<EdgeStackStorageOptions>>().Value;
}
