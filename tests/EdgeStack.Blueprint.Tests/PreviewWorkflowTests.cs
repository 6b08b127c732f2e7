using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace EdgeStack.Blueprint.Tests;

/// <summary>The pull request workflow hands no cloud or secret access to unreviewed code.</summary>
public partial class PreviewWorkflowTests
{
    private static readonly string Text = File.ReadAllText(Path.Combine(RepositoryRoot.Path, ".github", "workflows", "preview.yml"));

    private static readonly YamlMappingNode Jobs = (YamlMappingNode)Load()["jobs"];

    [Fact]
    public void EveryAction_IsPinnedByCommitSha()
    {
        var uses = UsesLine().Matches(Text).Select(m => m.Groups[1].Value).ToList();

        Assert.NotEmpty(uses);
        Assert.All(uses, u => Assert.Matches("^[A-Za-z0-9-]+/[A-Za-z0-9._-]+@[0-9a-f]{40}$", u));
    }

    [Fact]
    public void OnlyThePreviewJob_SeesSecretsOrAnOidcToken_AndItIsBehindAnEnvironment()
    {
        var exposed = Jobs.Children
            .Where(job => job.Value.ToString().Contains("secrets.", StringComparison.Ordinal) || Permission(job.Value, "id-token") == "write")
            .Select(job => ((YamlScalarNode)job.Key).Value)
            .ToList();

        Assert.Equal(["preview"], exposed);
        Assert.Equal("preview", ((YamlScalarNode)((YamlMappingNode)Jobs["preview"])["environment"]).Value);
    }

    [Fact]
    public void PlanJob_RunsThePlanWithReadOnlyContents()
    {
        var plan = (YamlMappingNode)Jobs["plan"];

        Assert.Equal("read", Permission(plan, "contents"));
        Assert.Single(((YamlMappingNode)plan["permissions"]).Children);
        Assert.Contains("./edgestack plan --stack dev", plan.ToString(), StringComparison.Ordinal);
    }

    private static string? Permission(YamlNode job, string name) =>
        job is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode("permissions"), out var permissions) && permissions is YamlMappingNode granted
        && granted.Children.TryGetValue(new YamlScalarNode(name), out var value) ? ((YamlScalarNode)value).Value : null;

    private static YamlMappingNode Load()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(Text));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    [GeneratedRegex(@"^\s*-?\s*uses:\s*(\S+)", RegexOptions.Multiline)]
    private static partial Regex UsesLine();
}
