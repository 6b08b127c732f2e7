namespace EdgeStack.Cli.Tests;

/// <summary>A repository copy where <c>new</c> created an http and a queue function, then built them and ran their generated tests.</summary>
public sealed class NewFunctionsFixture : IAsyncLifetime
{
    /// <summary>The http function's name: thumbnail, or thumbnail-2... if the repository has one already.</summary>
    public static readonly string Http = FreeName("thumbnail");

    /// <summary>The queue function's name: resize, or resize-2...</summary>
    public static readonly string Queue = FreeName("resize");

    public RepositoryCopy Repository { get; } = new();

    public Dictionary<string, (CommandResult Created, CommandResult Tested)> Results { get; } = [];

    public async Task InitializeAsync()
    {
        var created = new Dictionary<string, CommandResult>();
        foreach (var (name, kind) in new[] { (Http, "http"), (Queue, "queue") })
        {
            created[name] = await Commands.EdgeStackAsync(Repository.Root, "new", name, "--kind", kind);
        }

        // One build of both test projects (and so both functions), with warnings as errors; then each one's tests.
        var projects = created.Where(c => c.Value.ExitCode == 0).Select(c => $"\"tests/{c.Key}.Tests/{c.Key}.Tests.csproj\"");
        await File.WriteAllTextAsync(Path.Combine(Repository.Root, "new.slnf"), $$"""{ "solution": { "path": "EdgeStack.sln", "projects": [{{string.Join(", ", projects)}}] } }""");
        var built = await Commands.DotnetAsync(Repository.Root, TimeSpan.FromMinutes(10), "build", "new.slnf", "-c", "Release", "-p:TreatWarningsAsErrors=true", "-nologo", "-clp:ErrorsOnly");
        foreach (var (name, result) in created)
        {
            var tested = result.ExitCode != 0 ? result
                : built.ExitCode != 0 ? built
                : await Commands.DotnetAsync(Repository.Root, TimeSpan.FromMinutes(5), "test", $"tests/{name}.Tests", "-c", "Release", "--no-build", "-nologo");
            Results[name] = (result, tested);
        }
    }

    public Task DisposeAsync()
    {
        Repository.Dispose();
        return Task.CompletedTask;
    }

    private static string FreeName(string preferred) =>
        new[] { preferred }.Concat(Enumerable.Range(2, 98).Select(i => $"{preferred}-{i}"))
            .First(name => !Directory.Exists(Path.Combine(EdgeStack.Testing.TestPaths.RepositoryRoot, "functions", name))
                && !Directory.Exists(Path.Combine(EdgeStack.Testing.TestPaths.RepositoryRoot, "tests", name + ".Tests")));
}
