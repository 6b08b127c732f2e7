using System.Text.Json.Serialization;

namespace EdgeStack.Azure;

/// <summary>One analytics event, as the sink receives it.</summary>
/// <param name="Name">What happened, such as <c>request</c>.</param>
/// <param name="Timestamp">When it happened.</param>
/// <param name="Function">The function that tracked it.</param>
/// <param name="Properties">Details, such as the path and method.</param>
public sealed record AnalyticsEvent(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("timestamp")] DateTimeOffset Timestamp,
    [property: JsonPropertyName("function")] string? Function = null,
    [property: JsonPropertyName("properties")] IReadOnlyDictionary<string, string>? Properties = null);
