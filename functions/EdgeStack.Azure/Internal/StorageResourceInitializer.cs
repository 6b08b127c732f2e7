using Azure.Storage.Blobs;
using EdgeStack.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeStack.Azure.Internal;

/// <summary>Creates the container and queues at start when they are missing (Azurite starts empty; in Azure the stack creates them).</summary>
internal sealed class StorageResourceInitializer(
    IOptions<EdgeStackStorageOptions> options,
    BlobServiceClient blobs,
    IServiceProvider services,
    ILogger<StorageResourceInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.CreateResources)
        {
            return;
        }

        // Listed before created: CreateIfNotExists on a resource that exists is a 409 answer, at every start.
        await EnsureAsync(
            logger,
            StorageNames.UploadsContainer,
            async ct =>
            {
                if (!await AnyAsync(blobs.GetBlobContainersAsync(prefix: StorageNames.UploadsContainer, cancellationToken: ct), c => c.Name == StorageNames.UploadsContainer))
                {
                    await blobs.GetBlobContainerClient(StorageNames.UploadsContainer).CreateIfNotExistsAsync(cancellationToken: ct);
                }
            },
            cancellationToken);
        if (services.GetService<AzureQueueDurableWorkQueue>() is { } work)
        {
            // The function's own work queues, when it has durable work.
            await EnsureAsync(logger, work.QueueName + ", " + work.PoisonQueueName, work.CreateQueuesIfNotExistAsync, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    internal static async Task<bool> AnyAsync<T>(IAsyncEnumerable<T> items, Func<T, bool> match)
    {
        await foreach (var item in items)
        {
            if (match(item))
            {
                return true;
            }
        }

        return false;
    }

    internal static async Task EnsureAsync(ILogger logger, string resource, Func<CancellationToken, Task> create, CancellationToken cancellationToken)
    {
        try
        {
            await create(cancellationToken);
        }
#pragma warning disable CA1031 // Missing rights or a slow emulator must not keep the app from starting; calls fail later with their own errors.
        catch (Exception exception) when (exception is not OperationCanceledException)
#pragma warning restore CA1031
        {
            Log.StorageResourceCheckFailed(logger, resource, exception);
        }
    }
}
