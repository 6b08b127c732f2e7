using EdgeStack.Blueprint;

namespace EdgeStack.Cli.Tests;

/// <summary>
/// <c>new thumbnail</c> and <c>new resize --kind queue</c> in a copy of the repository: each function builds with warnings
/// as errors and its generated tests pass against the real built process. The one test class here that builds (minutes).
/// </summary>
public sealed class NewFunctionEndToEndTests(NewFunctionsFixture fixture) : IClassFixture<NewFunctionsFixture>
{
    [Fact]
    public void New_HttpFunction_BuildsAndItsGeneratedTestsPass()
    {
        var (generated, tested) = fixture.Results[NewFunctionsFixture.Http];

        Assert.True(generated.ExitCode == 0, generated.ToString());
        Assert.True(tested.ExitCode == 0, tested.ToString());
        Assert.Matches(@"Passed!\s+-\s+Failed:\s+0, Passed:\s+[1-9]", tested.Output);
    }

    [Fact]
    public void New_QueueFunction_BuildsAndItsGeneratedTestsPass()
    {
        var (generated, tested) = fixture.Results[NewFunctionsFixture.Queue];

        Assert.True(generated.ExitCode == 0, generated.ToString());
        Assert.True(tested.ExitCode == 0, tested.ToString());
        Assert.Matches(@"Passed!\s+-\s+Failed:\s+0, Passed:\s+[1-9]", tested.Output);
    }

    [Fact]
    public void New_Functions_AreDiscoveredAsDeclared()
    {
        var functions = FunctionManifest.Discover(fixture.Repository.Root).ToDictionary(f => f.Name);

        Assert.Equal((FunctionKind.Http, IngressMode.External), (functions[NewFunctionsFixture.Http].Kind, functions[NewFunctionsFixture.Http].DefaultIngress));
        Assert.Equal(FunctionKind.Queue, functions[NewFunctionsFixture.Queue].Kind);
        Assert.Equal([NewFunctionsFixture.Queue], functions[NewFunctionsFixture.Queue].DurableHandlers);
    }

    [Fact]
    public async Task New_Projects_AreInTheSolution()
    {
        var listed = await Commands.DotnetAsync(fixture.Repository.Root, TimeSpan.FromMinutes(1), "sln", "EdgeStack.sln", "list");

        foreach (var name in new[] { NewFunctionsFixture.Http, NewFunctionsFixture.Queue })
        {
            Assert.Contains($"functions/{name}/{name}.csproj", listed.Output, StringComparison.Ordinal);
            Assert.Contains($"tests/{name}.Tests/{name}.Tests.csproj", listed.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task New_Functions_AreInTheReadmeTable()
    {
        var check = await Commands.EdgeStackAsync(fixture.Repository.Root, "readme", "--check");
        var readme = await File.ReadAllTextAsync(Path.Combine(fixture.Repository.Root, "README.md"));

        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Contains($"| `{NewFunctionsFixture.Http}` | http | external |", readme, StringComparison.Ordinal);
        Assert.Contains($"| `{NewFunctionsFixture.Queue}` | queue | internal |", readme, StringComparison.Ordinal);
    }
}
