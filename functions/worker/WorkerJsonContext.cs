using System.Text.Json.Serialization;

namespace EdgeStack.Functions.Worker;

/// <summary>Source-generated JSON for the report job's payload.</summary>
[JsonSerializable(typeof(ReportWork))]
internal sealed partial class WorkerJsonContext : JsonSerializerContext;
