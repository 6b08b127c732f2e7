using System.Text.Json.Serialization;

namespace EdgeStack.Azure;

/// <summary>The body of a work queue message (<c>&lt;name&gt;-jobs</c>): which handler runs the work and its payload, inline or staged.</summary>
/// <param name="Id">The work item's id, stable across retries.</param>
/// <param name="Handler">The name of the durable work handler.</param>
/// <param name="Payload">The payload, when it fits in the message.</param>
/// <param name="PayloadReference">The blob in the <c>uploads</c> container holding the payload, when it did not fit.</param>
public sealed record DurableWorkEnvelope(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("handler")] string Handler,
    [property: JsonPropertyName("payload")] string? Payload = null,
    [property: JsonPropertyName("payloadRef")] string? PayloadReference = null);
