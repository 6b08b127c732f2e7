using System.Text.Json.Serialization;

namespace EdgeStack.Azure;

/// <summary>The body of a 202 answer for work a function accepted and runs after answering.</summary>
/// <param name="Status">What happens to the work now: <c>processing</c>, <c>queued</c>.</param>
/// <param name="WorkId">The durable work item's id, when the caller may want it; omitted when null.</param>
public sealed record WorkAccepted(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("workId")] string? WorkId = null);
