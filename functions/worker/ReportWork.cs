using System.Text.Json;
using System.Text.Json.Serialization;
using EdgeStack.Azure;

namespace EdgeStack.Functions.Worker;

/// <summary>The payload of a <c>report</c> job: a long job in steps, the kind of work the seed says belongs on a queue.</summary>
/// <param name="Id">The report's id, checked by <see cref="UploadId"/>.</param>
/// <param name="Steps">How many steps the job takes.</param>
/// <param name="StepMilliseconds">How long each step takes.</param>
public sealed record ReportWork(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("steps")] int Steps = 3,
    [property: JsonPropertyName("stepMilliseconds")] int StepMilliseconds = 1000)
{
    /// <summary>Serializes the payload.</summary>
    /// <returns>The payload's JSON.</returns>
    public string ToJson() => JsonSerializer.Serialize(this, WorkerJsonContext.Default.ReportWork);

    /// <summary>Reads a payload.</summary>
    /// <param name="json">The payload's JSON.</param>
    /// <returns>The payload.</returns>
    /// <exception cref="JsonException">The payload is not a report.</exception>
    public static ReportWork Parse(string json) =>
        JsonSerializer.Deserialize(json, WorkerJsonContext.Default.ReportWork) is { Id: not null } work
            ? work
            : throw new JsonException("The report payload needs 'id'.");
}
