using EdgeStack.Azure.Internal;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EdgeStack.Azure;

/// <summary>The success answers functions share, written with source-generated JSON (the apps publish Native AOT).</summary>
public static class FunctionAnswers
{
    /// <summary>202 with <c>{"status": ..., "workId": ...}</c>: the work was accepted and runs after the answer.</summary>
    /// <param name="status">What happens to the work now: <c>processing</c>, <c>queued</c>.</param>
    /// <param name="workId">The durable work item's id, or null to leave it out.</param>
    /// <returns>The result.</returns>
    public static JsonHttpResult<WorkAccepted> Accepted(string status, string? workId = null) =>
        TypedResults.Json(new WorkAccepted(status, workId), AzureJsonContext.Default.WorkAccepted, statusCode: StatusCodes.Status202Accepted);
}
