using System.Text.Json.Serialization;

namespace EdgeStack.Azure.Internal;

/// <summary>Source-generated JSON for the queue's and the analytics client's wire formats and the shared answers.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DurableWorkEnvelope))]
[JsonSerializable(typeof(PoisonedWork))]
[JsonSerializable(typeof(List<AnalyticsEvent>))]
[JsonSerializable(typeof(WorkAccepted))]
internal sealed partial class AzureJsonContext : JsonSerializerContext;
