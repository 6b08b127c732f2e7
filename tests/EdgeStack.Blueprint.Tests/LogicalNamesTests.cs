namespace EdgeStack.Blueprint.Tests;

/// <summary>Pulumi logical names are a contract with every deployed stack: a renamed one replaces the resource.</summary>
public class LogicalNamesTests
{
    [Fact]
    public void PerResourceNames_AreTheDeployedOnes()
    {
        var names = new[]
        {
            LogicalNames.Container("uploads"), LogicalNames.Table("analytics"), LogicalNames.Queue("worker-jobs"),
            LogicalNames.Image("hello"), LogicalNames.App("hello"), LogicalNames.FunctionKey("hello"),
            LogicalNames.FunctionReadKey("analytics"), LogicalNames.Identity("hello"), LogicalNames.Role("hello", "acr-pull"),
            LogicalNames.Job("maintenance"),
        };

        Assert.Equal(
            ["uploads-container", "analytics-table", "queue-worker-jobs", "image-hello", "app-hello", "key-hello", "read-key-analytics", "identity-hello", "role-hello-acr-pull", "job-maintenance"],
            names);
    }

    [Fact]
    public void StackOutputNames_PerFunction_AreTheDocumentedOnes()
    {
        var names = (StackOutputNames.FunctionUrl("hello"), StackOutputNames.FunctionKey("hello"), StackOutputNames.FunctionReadKey("analytics"));

        Assert.Equal(("helloUrl", "helloKey", "analyticsReadKey"), names);
    }
}
