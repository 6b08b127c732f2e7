namespace EdgeStack.Functions.Tally;

/// <summary>How long each item takes (section <c>Count</c>): long enough for tests to stop the function with work pending.</summary>
public sealed class CountOptions
{
    public const string SectionName = "Count";

    public int DelayMilliseconds { get; set; }
}
