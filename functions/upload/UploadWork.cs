using System.Text.Json;
using System.Text.Json.Serialization;
using EdgeStack.Azure;

namespace EdgeStack.Functions.Upload;

/// <summary>The payload of durable <c>upload</c> work: the upload's id and the body to store, exactly as posted.</summary>
/// <param name="Id">The upload's id, checked by <see cref="UploadId"/>.</param>
/// <param name="Body">The posted JSON body, as text.</param>
/// <param name="AcceptedAtTicks">When the upload was accepted (UTC ticks): of two uploads with one id, the later accepted wins, whatever order they run in.</param>
public sealed record UploadWork(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("body")] string Body,
    [property: JsonPropertyName("acceptedAt")] long AcceptedAtTicks = 0)
{
    /// <summary>Serializes the payload.</summary>
    /// <returns>The payload's JSON.</returns>
    public string ToJson() => JsonSerializer.Serialize(this, UploadJsonContext.Default.UploadWork);

    /// <summary>Reads a payload.</summary>
    /// <param name="json">The payload's JSON.</param>
    /// <returns>The payload.</returns>
    /// <exception cref="JsonException">The payload is not an upload.</exception>
    public static UploadWork Parse(string json) =>
        JsonSerializer.Deserialize(json, UploadJsonContext.Default.UploadWork) is { Id: not null, Body: not null } work
            ? work
            : throw new JsonException("The upload payload needs 'id' and 'body'.");
}
