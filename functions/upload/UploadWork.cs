using System.Text.Json;
using System.Text.Json.Serialization;
using EdgeStack.Azure;

namespace EdgeStack.Functions.Upload;

/// <summary>The payload of durable <c>upload</c> work: the upload's id and where its body is, exactly as posted.</summary>
/// <param name="Id">The upload's id, checked by <see cref="UploadId"/>.</param>
/// <param name="Body">The posted JSON body as text, when it travels inline (older messages and tests).</param>
/// <param name="AcceptedAtTicks">When the upload was accepted (UTC ticks): of two uploads with one id, the later accepted wins, whatever order they run in.</param>
/// <param name="BodyReference">
/// The blob in the <c>uploads</c> container holding the posted bytes (under <see cref="UploadHandler.StagedBodyPrefix"/>):
/// the endpoint stages the raw body and queues only this reference, so a 1 MiB body is never escaped into a JSON string.
/// </param>
public sealed record UploadWork(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("body")] string? Body,
    [property: JsonPropertyName("acceptedAt")] long AcceptedAtTicks = 0,
    [property: JsonPropertyName("bodyRef")] string? BodyReference = null)
{
    /// <summary>Serializes the payload.</summary>
    /// <returns>The payload's JSON.</returns>
    public string ToJson() => JsonSerializer.Serialize(this, UploadJsonContext.Default.UploadWork);

    /// <summary>Reads a payload.</summary>
    /// <param name="json">The payload's JSON.</param>
    /// <returns>The payload.</returns>
    /// <exception cref="JsonException">The payload is not an upload.</exception>
    public static UploadWork Parse(string json) =>
        JsonSerializer.Deserialize(json, UploadJsonContext.Default.UploadWork) is { Id: not null } work && (work.Body is null) != (work.BodyReference is null)
            ? work
            : throw new JsonException("The upload payload needs 'id' and exactly one of 'body' and 'bodyRef'.");
}
