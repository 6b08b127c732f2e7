using System.Text.Json.Serialization;

namespace EdgeStack.Functions.Analytics;

/// <summary>The answer to <c>POST /events</c>: how many events were stored.</summary>
/// <param name="Stored">The number of events stored.</param>
internal sealed record EventsStored([property: JsonPropertyName("stored")] int Stored);
