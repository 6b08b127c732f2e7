using System.Text.Json;
using EdgeStack.Azure;
using EdgeStack.Runtime;

namespace EdgeStack.Functions.Tally;

/// <summary>POST /items with <c>{"id": "..."}</c> → 202 once the item is durably queued for <see cref="CountHandler"/>.</summary>
internal static class ItemsEndpoints
{
    public static IEndpointRouteBuilder MapItems(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/items", async (HttpRequest request, IEdgeRuntime runtime, CancellationToken cancellationToken) =>
        {
            using var body = await JsonRequestBody.ReadAsync(request, cancellationToken);
            if (body.Problem is not null)
            {
                return body.Problem;
            }

            var id = body.Root.ValueKind == JsonValueKind.Object && body.Root.TryGetProperty("id", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            if (!UploadId.IsValid(id, out var problem))
            {
                return FunctionProblems.BadRequest(problem);
            }

            await runtime.WaitUntilDurableAsync(CountHandler.Name, id, cancellationToken);
            return FunctionAnswers.Accepted("queued");
        });
        return endpoints;
    }
}
