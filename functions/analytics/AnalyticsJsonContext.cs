using System.Text.Json.Serialization;

namespace EdgeStack.Functions.Analytics;

/// <summary>Source-generated JSON for the sink's answers.</summary>
[JsonSerializable(typeof(EventsStored))]
internal sealed partial class AnalyticsJsonContext : JsonSerializerContext;
