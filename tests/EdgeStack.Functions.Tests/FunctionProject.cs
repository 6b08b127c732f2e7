namespace EdgeStack.Functions.Tests;

/// <summary>The app projects the tests start.</summary>
internal static class FunctionProject
{
    public const string Hello = "hello";
    public const string Upload = "upload";
    public const string Analytics = "analytics";
    public const string Worker = "worker";
    public const string Maintenance = "maintenance";

    /// <summary>A test-only function under tests/functions: not one of the shipped four, with a durable handler of its own.</summary>
    public const string Tally = "tally";
}
