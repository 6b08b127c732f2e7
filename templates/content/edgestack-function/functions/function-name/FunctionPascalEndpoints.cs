//#if (kind == "queue")
using System.Text.Json;
using EdgeStack.Azure;
//#endif
using EdgeStack.Runtime;

namespace EdgeStack.Functions.FunctionPascal;

/// <summary>The function-name function's routes.</summary>
internal static class FunctionPascalEndpoints
{
    public static IEndpointRouteBuilder MapFunctionPascal(this IEndpointRouteBuilder endpoints)
    {
        // GET / answers at once; the work after the answer is tracked by the runtime, so SIGTERM drains it instead of cutting it off.
        endpoints.MapGet("/", (HttpRequest request, IEdgeRuntime runtime, ILoggerFactory loggers) =>
        {
            var logger = loggers.CreateLogger(typeof(FunctionPascalEndpoints));
            var target = request.Path.Value + request.QueryString.Value;
            runtime.WaitUntil(cancellationToken => AfterAnswerAsync(target, logger, cancellationToken), "function-name-after-answer");
            return Results.Text("Hello from function-name");
        });
//#if (kind == "queue")

        // POST /work with a JSON object holding an "id": 202 once the work is durable; FunctionPascalHandler runs it.
        endpoints.MapPost("/work", async (HttpRequest request, IEdgeRuntime runtime, ILoggerFactory loggers, CancellationToken cancellationToken) =>
        {
            var logger = loggers.CreateLogger(typeof(FunctionPascalEndpoints));
            using var body = await JsonRequestBody.ReadAsync(request, cancellationToken);
            if (body.Problem is not null)
            {
                return body.Problem;
            }

            if (body.Root.ValueKind != JsonValueKind.Object || !body.Root.TryGetProperty("id", out var idElement) || idElement.ValueKind != JsonValueKind.String)
            {
                return FunctionProblems.BadRequest("The body must be a JSON object with an 'id' string.");
            }

            var id = idElement.GetString()!;
            if (FunctionPascalHandler.IdProblem(id) is { } problem)
            {
                return FunctionProblems.BadRequest(problem);
            }

            try
            {
                // Durable before the answer: from here on the work survives SIGTERM and even SIGKILL.
                await runtime.WaitUntilDurableAsync(FunctionPascalHandler.Name, body.Text, cancellationToken);
            }
            catch (Exception exception) when (StorageExceptions.IsStorageFailure(exception))
            {
                Log.WorkNotQueued(logger, exception);
                return FunctionProblems.ServiceUnavailable("The work could not be queued, so it was not accepted; try again.");
            }

            Log.WorkQueued(logger, id);
            return FunctionAnswers.Accepted("queued");
        });
//#endif
        return endpoints;
    }

    private static async Task AfterAnswerAsync(string target, ILogger logger, CancellationToken cancellationToken)
    {
        // Your work after the answer: a write, a call, a notification. The token fires at the task timeout
        // (EdgeRuntime:TaskTimeoutSeconds) or when drain runs out of time: pass it to every call.
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        Log.AnsweredInBackground(logger, target);
    }
}
