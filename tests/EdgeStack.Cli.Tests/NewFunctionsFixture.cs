using System.Globalization;
using EdgeStack.Testing;

namespace EdgeStack.Cli.Tests;

/// <summary>
/// A repository copy where <c>new</c> created an http, a queue and a scheduled function, then built them and ran their
/// generated tests, and <c>./edgestack run</c> ran the scheduled one once.
/// </summary>
public sealed class NewFunctionsFixture : IAsyncLifetime
{
    /// <summary>The http function's name: thumbnail, or thumbnail-2... if the repository has one already.</summary>
    public static readonly string Http = FreeName("thumbnail");

    /// <summary>The queue function's name: resize, or resize-2...</summary>
    public static readonly string Queue = FreeName("resize");

    /// <summary>The scheduled function's name: nightly, or nightly-2...</summary>
    public static readonly string Scheduled = FreeName("nightly");

    /// <summary>The scheduled function's schedule, given to <c>new --schedule</c> (not the template's default, so passing it on is proven).</summary>
    public const string Schedule = "30 4 * * 1-5";

    public RepositoryCopy Repository { get; } = new();

    public Dictionary<string, (ProcessResult Created, ProcessResult Tested)> Results { get; } = [];

    /// <summary>What <c>./edgestack run</c> of the scheduled function printed, with the function's logs as JSON lines.</summary>
    public ProcessResult Ran { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var created = new Dictionary<string, ProcessResult>();
        foreach (var (name, arguments) in new[]
        {
            (Http, new[] { "--kind", "http" }),
            (Queue, ["--kind", "queue"]),
            (Scheduled, ["--kind", "scheduled", "--schedule", Schedule]),
        })
        {
            created[name] = await Commands.EdgeStackAsync(Repository.Root, ["new", name, .. arguments]);
        }

        // One build of the test projects (and so the functions), with warnings as errors; then each one's tests.
        var projects = created.Where(c => c.Value.ExitCode == 0).Select(c => $"\"tests/{c.Key}.Tests/{c.Key}.Tests.csproj\"");
        await File.WriteAllTextAsync(Path.Combine(Repository.Root, "new.slnf"), $$"""{ "solution": { "path": "EdgeStack.sln", "projects": [{{string.Join(", ", projects)}}] } }""");
        var built = await Commands.DotnetAsync(Repository.Root, TimeSpan.FromMinutes(10), "build", "new.slnf", "-c", "Release", "-p:TreatWarningsAsErrors=true", "-nologo", "-clp:ErrorsOnly");
        foreach (var (name, result) in created)
        {
            var tested = result.ExitCode != 0 ? result
                : built.ExitCode != 0 ? built
                : await Commands.DotnetAsync(Repository.Root, TimeSpan.FromMinutes(5), "test", $"tests/{name}.Tests", "-c", "Release", "--no-build", "-nologo", "--logger", "console;verbosity=normal");
            Results[name] = (result, tested);
        }

        // ./edgestack run on the built function: the run command starts Azurite on free ports and the run, which logs JSON.
        var portBase = FunctionProcess.FreeConsecutivePorts(3).ToString(CultureInfo.InvariantCulture);
        Ran = built.ExitCode != 0 ? built : await Commands.DotnetAsync(
            Repository.Root,
            TimeSpan.FromMinutes(3),
            new Dictionary<string, string>
            {
                ["EdgeRuntime__JsonConsole"] = "true",
                ["Logging__Console__FormatterName"] = "json",
            },
            TestPaths.AppAssembly("EdgeStack.Run"), Scheduled, "--azurite-port-base", portBase, "--configuration", "Release");
    }

    public Task DisposeAsync()
    {
        Repository.Dispose();
        return Task.CompletedTask;
    }

    private static string FreeName(string preferred) =>
        new[] { preferred }.Concat(Enumerable.Range(2, 98).Select(i => $"{preferred}-{i}"))
            .First(name => !Directory.Exists(Path.Combine(TestPaths.RepositoryRoot, "functions", name))
                && !Directory.Exists(Path.Combine(TestPaths.RepositoryRoot, "tests", name + ".Tests")));
}
