using EdgeStack.Blueprint;
using YamlDotNet.RepresentationModel;

namespace EdgeStack.Containers.Tests;

public sealed class ComposeFileTests
{
    private static readonly string Root = FunctionManifest.FindRepositoryRoot(AppContext.BaseDirectory);

    [Fact]
    public void Render_CommittedFile_MatchesTheDeclarations()
    {
        var committed = File.ReadAllText(Path.Combine(Root, ComposeFile.FileName));

        var rendered = ComposeFile.Render(FunctionManifest.Discover(Root));

        Assert.True(committed == rendered, $"{ComposeFile.FileName} does not match functions/*/edgestack.json: run ./edgestack compose and commit it.");
    }

    [Fact]
    public void Render_NewFunction_GetsAServiceBuiltFromTheOneDockerfileWithItsApp()
    {
        var functions = Declarations(("resize", """{ "kind": "http" }"""), ("hello", """{ "kind": "http" }"""));

        var resize = Service(ComposeFile.Render(functions), "resize");

        Assert.Equal(
            (StackPlanner.Dockerfile, "resize", "edgestack-resize:local"),
            (Scalar(resize, "build", "dockerfile"), Scalar(resize, "build", "args", StackPlanner.DockerfileAppArgument), Scalar(resize, "image")));
    }

    [Fact]
    public void Render_Ports_AreServesOnLoopbackOnly()
    {
        var functions = Declarations(("analytics", """{ "kind": "http", "analytics": "sink" }"""), ("hello", """{ "kind": "http", "analytics": "client" }"""));

        var services = (YamlMappingNode)Parse(ComposeFile.Render(functions))["services"];

        var ports = services.Children.ToDictionary(
            s => ((YamlScalarNode)s.Key).Value!,
            s => ((YamlSequenceNode)((YamlMappingNode)s.Value)["ports"]).Children.Select(p => ((YamlScalarNode)p).Value!).ToList());
        Assert.Equal(["127.0.0.1:${EDGESTACK_ANALYTICS_PORT:-7401}:8080"], ports["analytics"]);
        Assert.Equal(["127.0.0.1:${EDGESTACK_HELLO_PORT:-7402}:8080"], ports["hello"]);
        Assert.All(ports["azurite"], p => Assert.StartsWith("127.0.0.1:", p, StringComparison.Ordinal));
    }

    [Fact]
    public void Render_AnalyticsClient_WaitsForTheSinkAndGetsItsAddress()
    {
        var functions = Declarations(("analytics", """{ "kind": "http", "analytics": "sink" }"""), ("hello", """{ "kind": "http", "analytics": "client" }"""));

        var hello = Service(ComposeFile.Render(functions), "hello");

        Assert.Equal(
            ("service_healthy", "http://analytics:8080"),
            (Scalar(hello, "depends_on", "analytics", "condition"), Scalar(hello, "environment", "Analytics__Endpoint")));
    }

    [Fact]
    public void Render_ScheduledFunction_HasNoService()
    {
        var functions = Declarations(("hello", """{ "kind": "http" }"""), ("nightly", """{ "kind": "scheduled", "schedule": "0 3 * * *" }"""));

        var services = (YamlMappingNode)Parse(ComposeFile.Render(functions))["services"];

        Assert.Equal(["azurite", "hello"], services.Children.Keys.Select(k => ((YamlScalarNode)k).Value));
    }

    [Fact]
    public void Render_NoTopLevelName_SoComposeV1AcceptsIt()
    {
        var document = Parse(ComposeFile.Render(FunctionManifest.Discover(Root)));

        Assert.Equal(["services", "volumes"], document.Children.Keys.Select(k => ((YamlScalarNode)k).Value));
    }

    [Fact]
    public void Render_FunctionNamedAzurite_IsRefusedNamingTheFolder()
    {
        var functions = Declarations(("azurite", """{ "kind": "http" }"""));

        var error = Assert.Throws<InvalidOperationException>(() => ComposeFile.Render(functions));

        Assert.Contains("functions/azurite", error.Message, StringComparison.Ordinal);
    }

    private static IReadOnlyList<FunctionDeclaration> Declarations(params (string Name, string Json)[] sources) =>
        FunctionManifest.Parse(sources, _ => true);

    private static YamlMappingNode Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlMappingNode Service(string yaml, string name) => (YamlMappingNode)((YamlMappingNode)Parse(yaml)["services"])[name];

    private static string? Scalar(YamlMappingNode node, params string[] path)
    {
        YamlNode current = node;
        foreach (var key in path)
        {
            current = ((YamlMappingNode)current)[key];
        }

        return ((YamlScalarNode)current).Value;
    }
}
