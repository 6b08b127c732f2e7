using EdgeStack.Contracts;
using EdgeStack.Plan;

namespace EdgeStack.Blueprint.Tests;

public class DevStackTests
{
    /// <summary>The committed dev stack, read as <c>./edgestack plan</c> reads it (the same reader, linked in).</summary>
    private static readonly StackConfigFile Dev = StackConfigFile.Load(RepositoryRoot.Path, "dev");

    /// <summary>The dev stack's project keys without the project prefix, as the program's config reads them.</summary>
    private static readonly Dictionary<string, string> DevProjectConfig = Dev.Config
        .Where(c => c.Key.StartsWith(Dev.Project + ":", StringComparison.Ordinal))
        .ToDictionary(c => c.Key[(Dev.Project.Length + 1)..], c => c.Value, StringComparer.Ordinal);

    private static readonly IReadOnlyList<FunctionDeclaration> Repository = FunctionManifest.Discover(RepositoryRoot.Path);

    [Fact]
    public void DevStack_WithNoSecretSet_Plans()
    {
        var settings = StackSettingsParser.Parse(DevProjectConfig, Repository);

        var plan = StackPlanner.Plan(settings, TestStacks.Identity);

        Assert.Equal(
            Repository.Where(f => f.Kind != FunctionKind.Scheduled).Select(f => f.Name).Order(StringComparer.Ordinal),
            plan.Apps.Select(a => a.FunctionName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void DevStack_OnlyAnalyticsClients_HoldTheSinksKey()
    {
        var plan = StackPlanner.Plan(StackSettingsParser.Parse(DevProjectConfig, Repository), TestStacks.Identity);

        var holders = plan.Apps
            .Where(a => a.Secrets.Any(s => s.Name == StackPlanner.AnalyticsKeySecret) || a.Env.Any(e => e.Name == SettingNames.ToEnvironmentVariable(SettingNames.AnalyticsKey)))
            .Select(a => a.FunctionName)
            .ToList();

        Assert.Equal(Repository.Where(f => f.Analytics == AnalyticsRole.Client).Select(f => f.Name).Order(StringComparer.Ordinal), holders.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(TestStacks.Upload, holders);
    }

    [Fact]
    public void DevStack_ShownValues_AreTheDefaults()
    {
        var defaults = StackSettingsParser.Parse(TestStacks.Empty(), Repository);

        var dev = StackSettingsParser.Parse(DevProjectConfig, Repository);

        Assert.Equal(
            (defaults.Location, defaults.AnalyticsRetentionDays, defaults.VirtualNetworkAddressSpace, defaults.EnvironmentSubnetPrefix),
            (dev.Location, dev.AnalyticsRetentionDays, dev.VirtualNetworkAddressSpace, dev.EnvironmentSubnetPrefix));
        Assert.Equal(defaults.Functions, dev.Functions);
    }

    [Fact]
    public void DevStack_EveryFunctionItShows_ShowsEverySetting()
    {
        // Pulumi.dev.yaml shows the shipped functions at their defaults; a function added later needs no entry there.
        var shown = System.Text.Json.JsonDocument.Parse(DevProjectConfig[StackConfigKeys.Functions]).RootElement;
        var declared = Repository.ToDictionary(f => f.Name, StringComparer.Ordinal);

        var missing = shown.EnumerateObject().Where(f => declared.ContainsKey(f.Name)).SelectMany(f => StackConfigKeys.FunctionSettings
            .Where(s => StackConfigKeys.Applies(s, declared[f.Name].Kind))
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

        var app = StackPlanner.Plan(StackSettingsParser.Parse(DevProjectConfig, functions), TestStacks.Identity).App("thumbnail");

        Assert.Equal(
            (FunctionSettings.DefaultCpu, FunctionSettings.DefaultMemory, FunctionSettings.DefaultMinReplicas, FunctionSettings.DefaultMaxReplicas, FunctionSettings.DefaultTerminationGracePeriodSeconds, IngressMode.External),
            (app.Cpu, app.Memory, app.Scale.MinReplicas, app.Scale.MaxReplicas, app.TerminationGracePeriodSeconds, app.Ingress));
        Assert.Equal(("app-thumbnail", "image-thumbnail"), (app.LogicalName, app.Image.LogicalName));
    }

    [Fact]
    public void DevStack_EntryForAFunctionThatIsNotDeclared_FailsNamingIt()
    {
        var config = new Dictionary<string, string>(DevProjectConfig, StringComparer.Ordinal);
        var shown = System.Text.Json.Nodes.JsonNode.Parse(config[StackConfigKeys.Functions])!.AsObject();
        shown["thumbnail"] = new System.Text.Json.Nodes.JsonObject { ["cpu"] = 0.5 };
        config[StackConfigKeys.Functions] = shown.ToJsonString();

        var exception = Assert.Throws<InvalidOperationException>(() => StackSettingsParser.Parse(config, Repository));

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
    public void DevStack_WithNoSecretSet_GeneratesAKeyForEveryFunctionThatRequiresOne()
    {
        var plan = StackPlanner.Plan(StackSettingsParser.Parse(DevProjectConfig, Repository), TestStacks.Identity);

        Assert.Equal(
            plan.Apps.Where(a => a.LiteralEnv(EdgeStack.Contracts.SettingNames.ToEnvironmentVariable(EdgeStack.Contracts.SettingNames.FunctionRequireKey)) == "true").Select(a => a.FunctionName).Order(StringComparer.Ordinal),
            plan.FunctionKeys.Where(k => k.Use == FunctionKeyUse.Call).Select(k => k.FunctionName));
    }

    [Fact]
    public void DevStack_Keys_AreAllInTheProjectNamespace()
    {
        var keys = Dev.Config.Keys;

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
