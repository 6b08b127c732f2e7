using EdgeStack.Blueprint;
using EdgeStack.Testing;

namespace EdgeStack.Cli.Tests;

/// <summary>
/// <c>new thumbnail</c>, <c>new resize --kind queue</c> and <c>new nightly --kind scheduled</c> in a copy of the
/// repository: each function builds with warnings as errors and its generated tests pass against the real built
/// process; the scheduled one runs with <c>./edgestack run</c> and is planned as a Container Apps Job. The one test
/// class here that builds (minutes).
/// </summary>
public sealed class NewFunctionEndToEndTests(NewFunctionsFixture fixture) : IClassFixture<NewFunctionsFixture>
{
    /// <summary>The scheduled template's log event ids (its Log class) and the runtime's JobCompleted.</summary>
    private const int RunDone = 300;
    private const int FollowUpDone = 301;
    private const int JobCompleted = 31;

    [Fact]
    public void New_HttpFunction_BuildsAndItsGeneratedTestsPass()
    {
        var (generated, tested) = fixture.Results[NewFunctionsFixture.Http];

        Assert.True(generated.ExitCode == 0, generated.ToString());
        Assert.True(tested.ExitCode == 0, tested.ToString());
        Assert.Matches(@"Test Run Successful\.\s+Total tests: [1-9]", tested.Output);
    }

    [Fact]
    public void New_QueueFunction_BuildsAndItsGeneratedTestsPass()
    {
        var (generated, tested) = fixture.Results[NewFunctionsFixture.Queue];

        Assert.True(generated.ExitCode == 0, generated.ToString());
        Assert.True(tested.ExitCode == 0, tested.ToString());
        Assert.Matches(@"Test Run Successful\.\s+Total tests: [1-9]", tested.Output);
    }

    [Fact]
    public void New_QueueFunction_ItsAcceptedWorkSurvivesSigkillAndIsFinishedByItsNextInstance()
    {
        // Durable work belongs to its function: the generated suite SIGKILLs the new function with accepted work
        // pending and waits for its next instance to finish every item from the function's own queue (poison empty).
        var (_, tested) = fixture.Results[NewFunctionsFixture.Queue];

        Assert.Matches(@"Passed [A-Za-z0-9_.]+\.PostWork_SigkillWithAcceptedWorkPending_TheNextInstanceFinishesAllOfIt\b", tested.Output);
    }

    [Fact]
    public void New_ScheduledFunction_BuildsAndItsGeneratedTestsPass()
    {
        var (generated, tested) = fixture.Results[NewFunctionsFixture.Scheduled];

        Assert.True(generated.ExitCode == 0, generated.ToString());
        Assert.True(tested.ExitCode == 0, tested.ToString());
        Assert.Matches(@"Test Run Successful\.\s+Total tests: [1-9]", tested.Output);
    }

    [Fact]
    public void Run_ScheduledFunction_ExitsZeroAfterItsWorkAndItsFollowUp()
    {
        var ran = fixture.Ran;
        var prefix = $"[{NewFunctionsFixture.Scheduled}] ";
        var events = ran.Output.Split('\n')
            .Where(l => l.StartsWith(prefix, StringComparison.Ordinal))
            .Select(l => LogLine.TryParse(l[prefix.Length..].TrimEnd('\r'))?.EventId)
            .ToList();

        Assert.True(ran.ExitCode == 0, ran.ToString());
        Assert.Contains(RunDone, events);
        Assert.Contains(FollowUpDone, events);
        Assert.Contains(JobCompleted, events);
    }

    [Fact]
    public void Plan_ScheduledFunction_IsAContainerAppsJobWithItsSchedule()
    {
        var functions = FunctionManifest.Discover(fixture.Repository.Root);
        var identity = new StackIdentity("00000000-1111-2222-3333-444444444444", "edgestack", "dev");

        var plan = StackPlanner.Plan(StackSettingsParser.Parse(new Dictionary<string, string>(StringComparer.Ordinal), functions), identity);

        var job = Assert.Single(plan.Jobs, j => j.FunctionName == NewFunctionsFixture.Scheduled);
        Assert.Equal(NewFunctionsFixture.Schedule, job.CronExpression);
        Assert.DoesNotContain(plan.Apps, a => a.FunctionName == NewFunctionsFixture.Scheduled);
        Assert.Contains(plan.Apps, a => a.FunctionName == NewFunctionsFixture.Http);
    }

    [Fact]
    public void New_Functions_AreDiscoveredAsDeclared()
    {
        var functions = FunctionManifest.Discover(fixture.Repository.Root).ToDictionary(f => f.Name);

        Assert.Equal((FunctionKind.Http, IngressMode.External), (functions[NewFunctionsFixture.Http].Kind, functions[NewFunctionsFixture.Http].DefaultIngress));
        Assert.Equal(FunctionKind.Queue, functions[NewFunctionsFixture.Queue].Kind);
        Assert.Equal([NewFunctionsFixture.Queue], functions[NewFunctionsFixture.Queue].DurableHandlers);
        Assert.Equal((FunctionKind.Scheduled, NewFunctionsFixture.Schedule), (functions[NewFunctionsFixture.Scheduled].Kind, functions[NewFunctionsFixture.Scheduled].Schedule));
    }

    [Fact]
    public async Task New_Functions_PublishNativeAotWithoutReflectionJson()
    {
        // The build above ran the trim and AOT analyzers (PublishAot) with warnings as errors, and the generated tests ran
        // each function with reflection-based JSON off; this holds the settings that make both true.
        foreach (var name in new[] { NewFunctionsFixture.Http, NewFunctionsFixture.Queue, NewFunctionsFixture.Scheduled })
        {
            var properties = await Commands.DotnetAsync(
                fixture.Repository.Root,
                TimeSpan.FromMinutes(1),
                "msbuild", $"functions/{name}/{name}.csproj", "-nologo", "-getProperty:PublishAot", "-getProperty:JsonSerializerIsReflectionEnabledByDefault");

            Assert.True(properties.ExitCode == 0, properties.ToString());
            Assert.Contains("\"PublishAot\": \"true\"", properties.Output, StringComparison.Ordinal);
            Assert.Contains("\"JsonSerializerIsReflectionEnabledByDefault\": \"false\"", properties.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task New_Projects_AreInTheSolution()
    {
        var listed = await Commands.DotnetAsync(fixture.Repository.Root, TimeSpan.FromMinutes(1), "sln", "EdgeStack.sln", "list");

        foreach (var name in new[] { NewFunctionsFixture.Http, NewFunctionsFixture.Queue, NewFunctionsFixture.Scheduled })
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
        Assert.Contains($"| `{NewFunctionsFixture.Scheduled}` | scheduled (`{NewFunctionsFixture.Schedule}`) | none |", readme, StringComparison.Ordinal);
    }
}
