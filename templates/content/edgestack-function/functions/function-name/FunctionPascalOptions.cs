namespace EdgeStack.Functions.FunctionPascal;

/// <summary>The function-name function's own settings (section <c>FunctionPascal</c>, environment <c>FunctionPascal__Name</c>).</summary>
public sealed class FunctionPascalOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "FunctionPascal";

    /// <summary>Gets or sets how long each work item takes, in milliseconds: a stand-in for real slow work (default 0).</summary>
    public int WorkDelayMilliseconds { get; set; }
}
