using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using EdgeStack.Contracts;
using EdgeStack.Runtime;
using EdgeStack.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeStack.Azure.Tests;

/// <summary>What a function app creates at start on Azurite (which starts empty), and that storage it cannot reach does not keep it from starting.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class StorageResourceInitializerTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const int StorageResourceCheckFailed = 100;
    private readonly string _function = "init-" + Guid.NewGuid().ToString("N")[..12];
    private readonly BlobServiceClient _blobs = new(azurite.ConnectionString);
    private QueueClient _jobs = null!;
    private QueueClient _poison = null!;

    public Task InitializeAsync()
    {
        var queues = new QueueServiceClient(azurite.ConnectionString);
        _jobs = queues.GetQueueClient(StorageNames.WorkQueueOf(_function));
        _poison = queues.GetQueueClient(StorageNames.PoisonQueueOf(_function));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _jobs.DeleteIfExistsAsync();
        await _poison.DeleteIfExistsAsync();
        await _blobs.GetBlobContainerClient(StorageNames.UploadsContainer).CreateIfNotExistsAsync();
    }

    [Fact]
    public async Task StartAsync_FunctionWithDurableWork_CreatesTheUploadsContainerAndItsOwnQueues()
    {
        // Another container whose name merely starts with "uploads" is not the uploads container.
        var lookalike = _blobs.GetBlobContainerClient(StorageNames.UploadsContainer + "-" + _function);
        await lookalike.CreateIfNotExistsAsync();
        await _blobs.GetBlobContainerClient(StorageNames.UploadsContainer).DeleteIfExistsAsync();

        using (var host = await StartAsync(azurite.ConnectionString))
        {
            await host.StopAsync();
        }

        await lookalike.DeleteIfExistsAsync();
        Assert.True((await _blobs.GetBlobContainerClient(StorageNames.UploadsContainer).ExistsAsync()).Value);
        Assert.Equal((true, true), ((await _jobs.ExistsAsync()).Value, (await _poison.ExistsAsync()).Value));
    }

    [Fact]
    public async Task StartAsync_ResourcesAlreadyThere_StartsWithoutAWarning()
    {
        await _blobs.GetBlobContainerClient(StorageNames.UploadsContainer).CreateIfNotExistsAsync();
        await _jobs.CreateIfNotExistsAsync();
        await _poison.CreateIfNotExistsAsync();

        using var host = await StartAsync(connectionString: azurite.ConnectionString);
        await host.StopAsync();

        Assert.DoesNotContain(host.Services.GetFakeLogCollector().GetSnapshot(), r => r.Id.Id == StorageResourceCheckFailed);
    }

    [Fact]
    public async Task StartAsync_CreateResourcesOff_CreatesNothing()
    {
        using var host = await StartAsync(connectionString: azurite.ConnectionString, createResources: false);
        await host.StopAsync();

        Assert.Equal((false, false), ((await _jobs.ExistsAsync()).Value, (await _poison.ExistsAsync()).Value));
    }

    [Fact]
    public async Task StartAsync_StorageRefusesTheApp_StartsAnywayAndWarnsNamingEachResource()
    {
        // The right account at the right address, with a key that is not its key: every call is refused (403).
        var wrongKey = azurite.ConnectionString.Replace(AzuriteFixture.AccountKey, Convert.ToBase64String(new byte[64]), StringComparison.Ordinal);

        using var host = await StartAsync(connectionString: wrongKey);
        await host.StopAsync();

        var warned = host.Services.GetFakeLogCollector().GetSnapshot().Where(r => r.Id.Id == StorageResourceCheckFailed).ToList();
        Assert.Equal(
            [StorageNames.UploadsContainer, StorageNames.WorkQueueOf(_function) + ", " + StorageNames.PoisonQueueOf(_function)],
            warned.Select(r => r.StructuredState!.Single(s => s.Key == "Resource").Value));
        Assert.All(warned, r => Assert.Equal(LogLevel.Warning, r.Level));
        Assert.Equal((false, false), ((await _jobs.ExistsAsync()).Value, (await _poison.ExistsAsync()).Value));
    }

    [Fact]
    public async Task StartAsync_AppWithTables_CreatesTheAnalyticsTable()
    {
        var tables = new TableServiceClient(azurite.ConnectionString);
        await tables.DeleteTableAsync(StorageNames.AnalyticsTable);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration[SettingNames.StorageConnectionString] = azurite.ConnectionString;
        builder.AddEdgeRuntime();
        builder.AddEdgeStackTables();

        using (var host = builder.Build())
        {
            await host.StartAsync();
            await host.StopAsync();
        }

        Assert.Single(await tables.QueryAsync(t => t.Name == StorageNames.AnalyticsTable).ToListAsync());
    }

    private async Task<IHost> StartAsync(string connectionString, bool createResources = true)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [SettingNames.StorageConnectionString] = connectionString,
            [SettingNames.StorageSection + ":" + nameof(EdgeStackStorageOptions.CreateResources)] = createResources ? "true" : "false",
            [SettingNames.FunctionName] = _function,
        });
        builder.Logging.AddFakeLogging();
        builder.AddEdgeRuntime();
        builder.AddEdgeStackDurableWork();
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }
}
