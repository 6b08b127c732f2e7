using EdgeStack.Contracts;

namespace EdgeStack.Functions.Upload;

/// <summary>How the upload handler runs.</summary>
/// <remarks>Bound from the <c>Upload</c> section (<see cref="SettingNames"/>).</remarks>
public sealed class UploadOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = SettingNames.UploadSection;

    /// <summary>Gets or sets extra processing time before each write, in milliseconds (default 0): it stands in for real work in demos and tests.</summary>
    public int ProcessingDelayMilliseconds { get; set; }
}
