using System.Text.Json.Serialization;

namespace EdgeStack.Functions.Upload;

/// <summary>Source-generated JSON for the upload's durable work payload.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(UploadWork))]
internal sealed partial class UploadJsonContext : JsonSerializerContext;
