using System.Diagnostics;
using System.Globalization;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using EdgeStack.Azure;
using EdgeStack.Contracts;
using EdgeStack.Runtime;
using Microsoft.Extensions.Options;

namespace EdgeStack.Functions.Upload;

/// <summary>Stores an upload's body as <c>processed/{id}.json</c> in the <c>uploads</c> container; run in-process after the 202 and, after a hand-off or a crash, by the next instance of <c>upload</c> from its own work queue.</summary>
/// <remarks>
/// Idempotent and never done twice visibly: the blob is written only if absent, tagged with the work item's id and
/// accept time; a rerun of the same work finds its own tag and stops, an upload accepted later with the same id
/// replaces the blob, and a retry of an older upload never overwrites a newer one.
/// </remarks>
public sealed class UploadHandler(BlobServiceClient blobs, IOptions<UploadOptions> options, TimeProvider time, ILogger<UploadHandler> logger) : IDurableWorkHandler
{
    /// <summary>The name the handler is registered with.</summary>
    public const string Name = "upload";

    /// <summary>The blob name prefix of stored uploads.</summary>
    public const string Prefix = "processed/";

    /// <summary>The blob metadata key that holds the id of the work item that wrote the blob.</summary>
    public const string WorkIdMetadata = "workid";

    /// <summary>The blob metadata key that holds when the stored upload was accepted (UTC ticks).</summary>
    public const string AcceptedAtMetadata = "acceptedat";

    /// <summary>Where the endpoint stages posted bodies in the <c>uploads</c> container before it queues their reference.</summary>
    public const string StagedBodyPrefix = AzureQueueDurableWorkQueue.StagingPrefix + "upload/bodies/";

    /// <summary>Gets the blob name of an upload.</summary>
    /// <param name="id">A valid upload id.</param>
    /// <returns>The blob name.</returns>
    public static string BlobName(string id) => Prefix + id + ".json";

    /// <inheritdoc />
    public async Task ExecuteAsync(DurableWorkItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var started = Stopwatch.GetTimestamp();
        var work = UploadWork.Parse(item.Payload);
        if (!UploadId.IsValid(work.Id, out var problem))
        {
            throw new FormatException(problem);
        }

        var delay = options.Value.ProcessingDelayMilliseconds;
        if (delay > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(delay), time, cancellationToken);
        }

        var container = blobs.GetBlobContainerClient(StorageNames.UploadsContainer);
        var blob = container.GetBlobClient(BlobName(work.Id));
        var body = await ReadBodyAsync(container, work, item.Id, blob, cancellationToken);
        if (body is null)
        {
            return;
        }

        var upload = new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
            Metadata = new Dictionary<string, string>
            {
                [WorkIdMetadata] = item.Id,
                [AcceptedAtMetadata] = work.AcceptedAtTicks.ToString("D19", CultureInfo.InvariantCulture),
            },
            Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
        };
        try
        {
            await blob.UploadAsync(body, upload, cancellationToken);
        }
        catch (RequestFailedException exception) when (exception.Status is 409 or 412)
        {
            var existing = await blob.GetPropertiesAsync(cancellationToken: cancellationToken);
            if (existing.Value.Metadata.TryGetValue(WorkIdMetadata, out var writer) && writer == item.Id)
            {
                Log.UploadAlreadyDone(logger, work.Id, item.Id);
                await DeleteStagedAsync(container, work, cancellationToken);
                return;
            }

            if (IsNewer(existing.Value.Metadata, work.AcceptedAtTicks, item.Id))
            {
                Log.UploadSuperseded(logger, work.Id, item.Id);
                await DeleteStagedAsync(container, work, cancellationToken);
                return;
            }

            // An earlier upload with the same id: this newer one replaces it, unless it changed meanwhile (then retry).
            upload.Conditions = new BlobRequestConditions { IfMatch = existing.Value.ETag };
            await blob.UploadAsync(body, upload, cancellationToken);
        }

        // Stored: the staged body has served its purpose. A rerun after this finds its own write above.
        await DeleteStagedAsync(container, work, cancellationToken);
        Log.UploadCompleted(logger, work.Id, blob.Name, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>The body to store, or null when the staged body is gone because this work (or a newer upload) already stored it.</summary>
    private async Task<BinaryData?> ReadBodyAsync(BlobContainerClient container, UploadWork work, string workId, BlobClient target, CancellationToken cancellationToken)
    {
        if (work.BodyReference is not { } reference)
        {
            return BinaryData.FromString(work.Body!);
        }

        if (!reference.StartsWith(StagedBodyPrefix, StringComparison.Ordinal) || reference.Contains("..", StringComparison.Ordinal))
        {
            throw new FormatException($"The body reference '{reference}' is outside {StagedBodyPrefix}.");
        }

        try
        {
            return (await container.GetBlobClient(reference).DownloadContentAsync(cancellationToken)).Value.Content;
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            // Deleted after a write whose completion never reached the queue (a kill in between): done if that write is there.
            var stored = await target.ExistsAsync(cancellationToken) is { Value: true }
                ? (await target.GetPropertiesAsync(cancellationToken: cancellationToken)).Value.Metadata
                : new Dictionary<string, string>();
            if (stored.TryGetValue(WorkIdMetadata, out var writer) && writer == workId)
            {
                Log.UploadAlreadyDone(logger, work.Id, workId);
                return null;
            }

            if (IsNewer(stored, work.AcceptedAtTicks, workId))
            {
                Log.UploadSuperseded(logger, work.Id, workId);
                return null;
            }

            throw new InvalidOperationException($"The staged body {reference} of upload '{work.Id}' does not exist.", exception);
        }
    }

    private static async Task DeleteStagedAsync(BlobContainerClient container, UploadWork work, CancellationToken cancellationToken)
    {
        if (work.BodyReference is { } reference)
        {
            await container.GetBlobClient(reference).DeleteIfExistsAsync(cancellationToken: cancellationToken);
        }
    }

    /// <summary>Whether the stored upload was accepted after this one (ties broken by work id, so two writers agree).</summary>
    private static bool IsNewer(IDictionary<string, string> stored, long acceptedAtTicks, string workId)
    {
        if (!stored.TryGetValue(AcceptedAtMetadata, out var text) || !long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var storedTicks))
        {
            return false;
        }

        return storedTicks > acceptedAtTicks
            || (storedTicks == acceptedAtTicks && stored.TryGetValue(WorkIdMetadata, out var writer) && string.CompareOrdinal(writer, workId) > 0);
    }
}
