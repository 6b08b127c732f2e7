using System.Text.Json;
using EdgeStack.Azure;
using EdgeStack.Runtime;

namespace EdgeStack.Functions.Upload;

/// <summary>POST / with a JSON object holding an <c>id</c> → 202 once the upload is durably queued.</summary>
internal static class UploadEndpoints
{
    public static IEndpointRouteBuilder MapUpload(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/", async (HttpRequest request, IEdgeRuntime runtime, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken) =>
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

            try
            {
                // Durable before the answer: once this returns the upload survives even SIGKILL.
                await runtime.WaitUntilDurableAsync(UploadHandler.Name, new UploadWork(id, body.Text, time.GetUtcNow().UtcTicks).ToJson(), cancellationToken);
            }
            catch (Exception exception) when (StorageExceptions.IsStorageFailure(exception))
            {
                Log.UploadNotQueued(logger, id, exception);
                return FunctionProblems.ServiceUnavailable("The upload could not be queued, so it was not accepted; try again.");
            }

            Log.UploadAccepted(logger, id, body.Text.Length);
            return Results.Accepted(value: new { status = "processing" });
        });
        return endpoints;
    }
}
