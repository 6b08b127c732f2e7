namespace EdgeStack.Functions.Tests;

/// <summary>What the apps log about storage: the expected non-success answers (a 409 for a resource that exists, a 404 the code checks for) are not the user's problem.</summary>
[Collection(StackCollection.Name)]
public sealed class StorageStartTests(StackFixture stack)
{
    [Fact]
    public void Start_EveryFunction_LogsNoAzureCoreWarnings()
    {
        // Each app checks the shared container, queues and table at start; all but the first find them existing.
        var apps = new[] { stack.Analytics, stack.Hello, stack.Upload, stack.Worker };

        var warnings = apps.SelectMany(a => a.Logs).Where(l => l.Category.StartsWith("Azure.", StringComparison.Ordinal) && l.LogLevel == "Warning").ToList();

        Assert.Empty(warnings);
    }
}
