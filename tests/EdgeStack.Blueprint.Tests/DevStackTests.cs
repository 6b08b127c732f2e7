namespace EdgeStack.Blueprint.Tests;

public class DevStackTests
{
    private static readonly StackConfigFile Dev = StackConfigFile.Load("dev");

    private static readonly IReadOnlyList<FunctionDeclaration> Repository = FunctionManifest.Discover(RepositoryRoot.Path);

    private static readonly IReadOnlySet<string> RepositorySecrets = StackConfigKeys.Secrets(Repository).ToHashSet(StringComparer.Ordinal);

    private static readonly string[] RequiredSecrets = ["helloKey", "uploadKey", "analyticsKey"];

    [Fact]
    public void DevStack_WithItsSecretsSet_Plans()
    {
        var settings = StackSettingsParser.Parse(Dev.ProjectConfig, RepositorySecrets, Repository);

        var plan = StackPlanner.Plan(settings, TestStacks.Identity);

        Assert.Equal(
            Repository.Where(f => f.Kind != FunctionKind.Scheduled).Select(f => f.Name).Order(StringComparer.Ordinal),
            plan.Apps.Select(a => a.FunctionName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void DevStack_ShownValues_AreTheDefaults()
    {
        var defaults = StackSettingsParser.Parse(TestStacks.Empty(), RepositorySecrets, Repository);

        var dev = StackSettingsParser.Parse(Dev.ProjectConfig, RepositorySecrets, Repository);

        Assert.Equal((defaults.Location, defaults.AnalyticsRetentionDays), (dev.Location, dev.AnalyticsRetentionDays));
        Assert.Equal(defaults.Functions, dev.Functions);
    }

    [Fact]
    public void DevStack_EveryFunctionItShows_ShowsEverySetting()
    {
        // Pulumi.dev.yaml shows the shipped functions at their defaults; a function added later needs no entry there.
        var shown = System.Text.Json.JsonDocument.Parse(Dev.ProjectConfig[StackConfigKeys.Functions]).RootElement;
        var declared = Repository.ToDictionary(f => f.Name, StringComparer.Ordinal);

        var missing = shown.EnumerateObject().Where(f => declared.ContainsKey(f.Name)).SelectMany(f => StackConfigKeys.FunctionSettings
            .Where(s => !(s == StackConfigKeys.ExternalIngress && declared[f.Name].Kind != FunctionKind.Http))
            .Where(s => !f.Value.TryGetProperty(s, out _))
            .Select(s => StackConfigKeys.FunctionPath(f.Name, s)));

        Assert.NotEmpty(shown.EnumerateObject());
        Assert.Empty(missing);
    }

    [Fact]
    public void DevStack_FunctionDeclaredButNotInTheStackConfig_GetsAnAppWithTheDefaults()
    {
        // What ./edgestack new thumbnail adds: functions/thumbnail/edgestack.json, and no edit of Pulumi.dev.yaml.
        var thumbnail = FunctionManifest.Parse([("thumbnail", """{"kind":"http"}""")], _ => true).Single();
        IReadOnlyList<FunctionDeclaration> functions = [.. Repository, thumbnail];
        var secrets = StackConfigKeys.Secrets(functions).ToHashSet(StringComparer.Ordinal);

        var app = StackPlanner.Plan(StackSettingsParser.Parse(Dev.ProjectConfig, secrets, functions), TestStacks.Identity).App("thumbnail");

        Assert.Equal(
            (FunctionSettings.DefaultCpu, FunctionSettings.DefaultMemory, FunctionSettings.DefaultMinReplicas, FunctionSettings.DefaultMaxReplicas, FunctionSettings.DefaultTerminationGracePeriodSeconds, IngressMode.External),
            (app.Cpu, app.Memory, app.Scale.MinReplicas, app.Scale.MaxReplicas, app.TerminationGracePeriodSeconds, app.Ingress));
        Assert.Equal(("app-thumbnail", "image-thumbnail"), (app.LogicalName, app.Image.LogicalName));
    }

    [Fact]
    public void DevStack_EntryForAFunctionThatIsNotDeclared_FailsNamingIt()
    {
        var config = new Dictionary<string, string>(Dev.ProjectConfig, StringComparer.Ordinal);
        var shown = System.Text.Json.Nodes.JsonNode.Parse(config[StackConfigKeys.Functions])!.AsObject();
        shown["thumbnail"] = new System.Text.Json.Nodes.JsonObject { ["cpu"] = 0.5 };
        config[StackConfigKeys.Functions] = shown.ToJsonString();

        var exception = Assert.Throws<InvalidOperationException>(() => StackSettingsParser.Parse(config, RepositorySecrets, Repository));

        Assert.Contains("functions.thumbnail", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DeployDoc_OneFunctionTargets_AreThePlansLogicalNames()
    {
        var doc = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "deploy.md"));

        Assert.Contains("::" + LogicalNames.App("thumbnail") + "\"", doc, StringComparison.Ordinal);
        Assert.Contains("::" + LogicalNames.Image("thumbnail") + "\"", doc, StringComparison.Ordinal);
    }

    [Fact]
    public void DevStack_WithoutSecrets_FailsNamingEachRequiredKey()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => StackSettingsParser.Parse(Dev.ProjectConfig, TestStacks.NoSecrets, Repository));

        Assert.All(
            RequiredSecrets,
            key => Assert.Contains($"pulumi config set --secret {key}", exception.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void DevStack_Keys_AreAllInTheProjectNamespace()
    {
        var keys = Dev.AllKeys;

        Assert.All(keys, k => Assert.StartsWith("edgestack:", k, StringComparison.Ordinal));
    }

    [Fact]
    public void PulumiYaml_ProjectAndMain_MatchTheProgram()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "Pulumi.yaml"));

        Assert.Contains("name: edgestack\n", text, StringComparison.Ordinal);
        Assert.Contains("main: infra/EdgeStack.Infra\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void PulumiYaml_Main_HoldsExactlyOneProject()
    {
        var projects = Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "infra", "EdgeStack.Infra"), "*.csproj");

        Assert.Single(projects);
    }
}
