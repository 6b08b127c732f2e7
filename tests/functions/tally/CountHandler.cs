using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using EdgeStack.Contracts;
using EdgeStack.Runtime;
using Microsoft.Extensions.Options;

namespace EdgeStack.Functions.Tally;

/// <summary>Counts one item: after the delay, writes <c>tally/{id}</c> once (a rerun finds it and stops).</summary>
public sealed class CountHandler(BlobServiceClient blobs, IOptions<CountOptions> options, TimeProvider time, ILogger<CountHandler> logger) : IDurableWorkHandler
{
    public const string Name = "count";

    public const string Prefix = "tally/";

    public async Task ExecuteAsync(DurableWorkItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        await Task.Delay(TimeSpan.FromMilliseconds(options.Value.DelayMilliseconds), time, cancellationToken);
        var blob = blobs.GetBlobContainerClient(StorageNames.UploadsContainer).GetBlobClient(Prefix + item.Payload);
        try
        {
            await blob.UploadAsync(BinaryData.FromString(item.Id), new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, cancellationToken);
        }
        catch (RequestFailedException exception) when (exception.Status is 409 or 412)
        {
            Log.AlreadyCounted(logger, item.Payload);
            return;
        }

        Log.Counted(logger, item.Payload);
    }
}
