namespace EdgeStack.Blueprint.Tests;

/// <summary>Least privilege for each shipped app, from the repository's own declarations: the exact roles and their scopes.</summary>
public class ShippedAppRolesTests
{
    private static StackPlan Plan => StackPlanner.Plan(
        StackSettingsParser.Parse(TestStacks.Empty(), FunctionManifest.Discover(RepositoryRoot.Path)),
        TestStacks.Identity);

    [Fact]
    public void Hello_PullsItsImageAndTouchesNoStorage()
    {
        var roles = Roles("hello");

        Assert.Equal([("AcrPull", "registry")], roles);
    }

    [Fact]
    public void Upload_WritesTheUploadsContainerAndItsOwnWorkQueues()
    {
        var roles = Roles("upload");

        Assert.Equal(
            [("AcrPull", "registry"), ("Storage Blob Data Contributor", "container:uploads"), ("Storage Queue Data Contributor", "queue:upload-jobs"), ("Storage Queue Data Contributor", "queue:upload-jobs-poison")],
            roles);
    }

    [Fact]
    public void Analytics_WritesOnlyTheAnalyticsTable()
    {
        var roles = Roles("analytics");

        Assert.Equal([("AcrPull", "registry"), ("Storage Table Data Contributor", "table:analytics")], roles);
    }

    [Fact]
    public void Worker_WritesTheUploadsContainerAndItsOwnWorkQueues()
    {
        var roles = Roles("worker");

        Assert.Equal(
            [("AcrPull", "registry"), ("Storage Blob Data Contributor", "container:uploads"), ("Storage Queue Data Contributor", "queue:worker-jobs"), ("Storage Queue Data Contributor", "queue:worker-jobs-poison")],
            roles);
    }

    [Fact]
    public void EveryApp_ScalesOnlyOnQueuesItsIdentityCanRead()
    {
        Assert.All(Plan.Apps, app => Assert.All(
            app.Scale.Rules.Where(r => r.Kind == ScaleRuleKind.AzureQueue),
            rule => Assert.Contains($"queue:{rule.QueueName}", app.Roles.Select(r => r.ScopeDescription))));
    }

    private static List<(string Role, string Scope)> Roles(string function) =>
        [.. Plan.App(function).Roles.Select(r => (r.Role.Name, r.ScopeDescription))];
}
