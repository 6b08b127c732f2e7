using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using EdgeStack.Azure;
using EdgeStack.Contracts;
using EdgeStack.Runtime;

namespace EdgeStack.Functions.Upload;

/// <summary>POST / with a JSON object holding an <c>id</c> → 202 once the upload is durably queued.</summary>
internal static class UploadEndpoints
{
    public static IEndpointRouteBuilder MapUpload(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/", async (HttpRequest request, IEdgeRuntime runtime, BlobServiceClient blobs, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken) =>
        {
            var logger = loggers.CreateLogger(typeof(UploadEndpoints));
            using var body = await JsonRequestBody.ReadAsync(request, cancellationToken);
            if (body.Problem is not null)
            {
                return body.Problem;
            }

            if (body.Root.ValueKind != JsonValueKind.Object)
            {
                return FunctionProblems.BadRequest($"The body must be a JSON object; it is {body.Root.ValueKind}.");
            }

            if (!body.Root.TryGetProperty("id", out var idElement) || idElement.ValueKind != JsonValueKind.String)
            {
                return FunctionProblems.BadRequest("The body needs an 'id' string.");
            }

            var id = idElement.GetString();
            if (!UploadId.IsValid(id, out var problem))
            {
                return FunctionProblems.BadRequest(problem);
            }

            // The raw bytes are staged and only their reference is queued: the body is never copied into a string,
            // escaped into a JSON payload or held until the background run ends.
            var staged = blobs.GetBlobContainerClient(StorageNames.UploadsContainer).GetBlobClient(UploadHandler.StagedBodyPrefix + Guid.NewGuid().ToString("N") + ".json");
            try
            {
                await staged.UploadAsync(new BinaryData(body.Bytes), new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } }, cancellationToken);

                // Durable before the answer: once this returns the upload survives even SIGKILL.
                await runtime.WaitUntilDurableAsync(UploadHandler.Name, new UploadWork(id, null, time.GetUtcNow().UtcTicks, staged.Name).ToJson(), cancellationToken);
            }
            catch (Exception exception) when (StorageExceptions.IsStorageFailure(exception))
            {
                Log.UploadNotQueued(logger, id, exception);
                await DeleteQuietlyAsync(staged);
                return FunctionProblems.ServiceUnavailable("The upload could not be queued, so it was not accepted; try again.");
            }

            Log.UploadAccepted(logger, id, body.Bytes.Length);
            return FunctionAnswers.Accepted("processing");
        });
        return endpoints;
    }

    private static async Task DeleteQuietlyAsync(BlobClient staged)
    {
        try
        {
            // Nothing refers to the staged body: the upload was refused.
            await staged.DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
        }
        catch (Exception exception) when (StorageExceptions.IsStorageFailure(exception))
        {
            // Storage is down, which is why the upload was refused; the orphan is harmless and small.
        }
    }
}
