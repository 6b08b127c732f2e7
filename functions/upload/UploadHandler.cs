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

        var blob = blobs.GetBlobContainerClient(StorageNames.UploadsContainer).GetBlobClient(BlobName(work.Id));
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
            await blob.UploadAsync(BinaryData.FromString(work.Body), upload, cancellationToken);
        }
        catch (RequestFailedException exception) when (exception.Status is 409 or 412)
        {
            var existing = await blob.GetPropertiesAsync(cancellationToken: cancellationToken);
            if (existing.Value.Metadata.TryGetValue(WorkIdMetadata, out var writer) && writer == item.Id)
            {
                Log.UploadAlreadyDone(logger, work.Id, item.Id);
                return;
            }

            if (IsNewer(existing.Value.Metadata, work.AcceptedAtTicks, item.Id))
            {
                Log.UploadSuperseded(logger, work.Id, item.Id);
                return;
            }

            // An earlier upload with the same id: this newer one replaces it, unless it changed meanwhile (then retry).
            upload.Conditions = new BlobRequestConditions { IfMatch = existing.Value.ETag };
            await blob.UploadAsync(BinaryData.FromString(work.Body), upload, cancellationToken);
        }

        Log.UploadCompleted(logger, work.Id, blob.Name, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
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
