using Azure.Data.Tables;
using EdgeStack.Contracts;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeStack.Azure.Internal;

/// <summary>Creates the analytics table at start when it is missing, in the apps that use tables.</summary>
internal sealed class TableResourceInitializer(
    IOptions<EdgeStackStorageOptions> options,
    TableServiceClient tables,
    ILogger<TableResourceInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.CreateResources)
        {
            return;
        }

        await StorageResourceInitializer.EnsureAsync(
            logger,
            StorageNames.AnalyticsTable,
            async ct =>
            {
                if (!await StorageResourceInitializer.AnyAsync(tables.QueryAsync(t => t.Name == StorageNames.AnalyticsTable, cancellationToken: ct), _ => true))
                {
                    await tables.CreateTableIfNotExistsAsync(StorageNames.AnalyticsTable, ct);
                }
            },
            cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
