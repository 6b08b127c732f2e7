namespace EdgeStack.Functions.Tests;

/// <summary>The app projects the tests start.</summary>
internal static class FunctionProject
{
    public const string Hello = "EdgeStack.Functions.Hello";
    public const string Upload = "EdgeStack.Functions.Upload";
    public const string Analytics = "EdgeStack.Functions.Analytics";
    public const string Worker = "EdgeStack.Functions.Worker";
}
