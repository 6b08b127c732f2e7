using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using EdgeStack.Azure.Internal;
using EdgeStack.Contracts;
using EdgeStack.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EdgeStack.Azure.Tests;

public sealed class EdgeStackStorageTests
{
    private const string BlobEndpoint = "https://edgestackdev.blob.core.windows.net";
    private const string QueueEndpoint = "https://edgestackdev.queue.core.windows.net";
    private const string TableEndpoint = "https://edgestackdev.table.core.windows.net";

    [Fact]
    public void AddEdgeStackStorage_Endpoints_ClientsForThoseEndpointsAndNoTableClient()
    {
        var builder = CreateBuilder();
        builder.AddEdgeStackStorage();
        using var host = builder.Build();

        var blobs = host.Services.GetRequiredService<BlobServiceClient>();
        var queues = host.Services.GetRequiredService<QueueServiceClient>();

        // Apps that never add tables compile none of Azure.Data.Tables, which is not Native AOT-safe.
        Assert.Equal((new Uri(BlobEndpoint), new Uri(QueueEndpoint)), (blobs.Uri, queues.Uri));
        Assert.Null(host.Services.GetService<TableServiceClient>());
    }

    [Fact]
    public void AddEdgeStackTables_Endpoints_TableClientForThatEndpointBesideTheOthers()
    {
        var builder = CreateBuilder();
        builder.AddEdgeStackTables();
        builder.AddEdgeStackTables();
        using var host = builder.Build();

        var tables = host.Services.GetServices<TableServiceClient>().ToList();

        Assert.Equal(new Uri(TableEndpoint), Assert.Single(tables).Uri);
        Assert.NotNull(host.Services.GetService<BlobServiceClient>());
    }

    [Fact]
    public void AddEdgeStackTables_ConnectionString_ClientsForItsEndpoints()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration[SettingNames.StorageConnectionString] = "UseDevelopmentStorage=true";
        builder.AddEdgeRuntime();
        builder.AddEdgeStackTables();
        using var host = builder.Build();

        var uris = (host.Services.GetRequiredService<BlobServiceClient>().Uri, host.Services.GetRequiredService<QueueServiceClient>().Uri, host.Services.GetRequiredService<TableServiceClient>().Uri);

        Assert.Equal((new Uri("http://127.0.0.1:10000/devstoreaccount1"), new Uri("http://127.0.0.1:10001/devstoreaccount1"), new Uri("http://127.0.0.1:10002/devstoreaccount1")), uris);
    }

    [Fact]
    public void AddEdgeStackStorage_CalledAgain_CreatesTheResourcesOnce()
    {
        var builder = CreateBuilder();
        builder.AddEdgeStackStorage();
        builder.AddEdgeStackStorage();
        using var host = builder.Build();

        var initializers = host.Services.GetServices<IHostedService>().OfType<StorageResourceInitializer>();

        Assert.Single(initializers);
    }

    [Fact]
    public void Extensions_NullBuilder_ThrowArgumentNullExceptionNamingIt()
    {
        var calls = new Action[] { () => EdgeStackStorageHostApplicationBuilderExtensions.AddEdgeStackStorage(null!), () => EdgeStackStorageHostApplicationBuilderExtensions.AddEdgeStackTables(null!) };

        Assert.All(calls, c => Assert.Equal("builder", Assert.Throws<ArgumentNullException>(c).ParamName));
    }

    private static HostApplicationBuilder CreateBuilder()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [SettingNames.StorageBlobEndpoint] = BlobEndpoint,
            [SettingNames.StorageQueueEndpoint] = QueueEndpoint,
            [SettingNames.StorageTableEndpoint] = TableEndpoint,
        });
        builder.AddEdgeRuntime();
        return builder;
    }
}
