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
    public void DevStack_ShowsEverySettingOfEveryFunction()
    {
        var shown = System.Text.Json.JsonDocument.Parse(Dev.ProjectConfig[StackConfigKeys.Functions]).RootElement;

        var missing = Repository.SelectMany(f => StackConfigKeys.FunctionSettings
            .Where(s => StackConfigKeys.Applies(s, f.Kind))
            .Where(s => !shown.GetProperty(f.Name).TryGetProperty(s, out _))
            .Select(s => StackConfigKeys.FunctionPath(f.Name, s)));

        Assert.Empty(missing);
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
