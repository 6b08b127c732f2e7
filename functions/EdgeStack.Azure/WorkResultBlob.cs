using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using EdgeStack.Runtime;

namespace EdgeStack.Azure;

/// <summary>
/// Writes a durable work item's result to a blob at most once per item, so that a handler run twice (a duplicate
/// delivery, a rerun after a hand-off or a crash) is never done twice visibly: the blob is tagged with the item's id.
/// </summary>
/// <remarks>
/// The write is conditional: created only when absent; an existing blob is replaced only when it is unchanged since it
/// was read (a concurrent writer makes the call fail with 412, and the queue retries the work). The tag says which item
/// wrote the blob last: a late duplicate of an item whose result a newer item already replaced finds the newer tag, not
/// its own. Where that matters, let <c>keep</c> compare an order the items carry, as <c>upload</c> does with its accept time.
/// </remarks>
public static class WorkResultBlob
{
    /// <summary>The blob metadata key that holds the id of the work item that wrote the blob.</summary>
    public const string WorkIdMetadata = "workid";

    /// <summary>Whether an earlier run of <paramref name="item"/> wrote <paramref name="blob"/>; false when the blob is absent.</summary>
    /// <param name="blob">The result blob.</param>
    /// <param name="item">The work item.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>True when the blob is tagged with the item's id.</returns>
    /// <exception cref="RequestFailedException">Storage refused the read for another reason than 404.</exception>
    public static async Task<bool> WrittenByAsync(this BlobClient blob, DurableWorkItem item, CancellationToken cancellationToken = default) =>
        IsWrittenBy(await MetadataOrNullAsync(blob, cancellationToken), item);

    /// <summary>The blob's metadata, or null when the blob does not exist.</summary>
    /// <param name="blob">The blob.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The metadata, or null.</returns>
    public static async Task<IDictionary<string, string>?> MetadataOrNullAsync(this BlobClient blob, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(blob);
        try
        {
            return (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value.Metadata;
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Whether blob <paramref name="metadata"/> is tagged with <paramref name="item"/>'s id.</summary>
    /// <param name="metadata">A blob's metadata, or null for an absent blob.</param>
    /// <param name="item">The work item.</param>
    /// <returns>True when an earlier run of the item wrote the blob.</returns>
    public static bool IsWrittenBy(IDictionary<string, string>? metadata, DurableWorkItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return metadata is not null && metadata.TryGetValue(WorkIdMetadata, out var writer) && writer == item.Id;
    }

    /// <summary>
    /// Writes <paramref name="content"/> as <paramref name="item"/>'s result: creates the blob, or finds that an earlier
    /// run of the item wrote it, or replaces another item's result unless <paramref name="keep"/> says to keep it.
    /// </summary>
    /// <param name="blob">The result blob.</param>
    /// <param name="content">The result.</param>
    /// <param name="item">The work item writing it; its id tags the blob.</param>
    /// <param name="headers">The blob's HTTP headers (its content type).</param>
    /// <param name="metadata">Metadata to write besides the tag.</param>
    /// <param name="keep">Given the metadata of another item's result, whether to keep it (null: replace it).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>What was done.</returns>
    /// <exception cref="RequestFailedException">Storage refused the write, or the blob changed between the read and the replace (412): retry the work.</exception>
    public static async Task<WorkResultWrite> WriteOnceAsync(
        this BlobClient blob,
        BinaryData content,
        DurableWorkItem item,
        BlobHttpHeaders? headers = null,
        IDictionary<string, string>? metadata = null,
        Func<IDictionary<string, string>, bool>? keep = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(blob);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(item);
        var upload = new BlobUploadOptions
        {
            HttpHeaders = headers,
            Metadata = new Dictionary<string, string>(metadata ?? new Dictionary<string, string>()) { [WorkIdMetadata] = item.Id },
            Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
        };
        try
        {
            await blob.UploadAsync(content, upload, cancellationToken);
            return WorkResultWrite.Written;
        }
        catch (RequestFailedException exception) when (exception.Status is 409 or 412)
        {
            // There already: written by an earlier run of this item (done), or another item's result.
        }

        var existing = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
        if (IsWrittenBy(existing.Metadata, item))
        {
            return WorkResultWrite.AlreadyWritten;
        }

        if (keep?.Invoke(existing.Metadata) == true)
        {
            return WorkResultWrite.Kept;
        }

        upload.Conditions = new BlobRequestConditions { IfMatch = existing.ETag };
        await blob.UploadAsync(content, upload, cancellationToken);
        return WorkResultWrite.Written;
    }
}
