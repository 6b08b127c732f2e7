namespace EdgeStack.Cli.Tests;

/// <summary>A repository copy where <c>new</c> created an http and a queue function, each then built and tested with <c>dotnet test</c>.</summary>
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
        foreach (var (name, kind) in new[] { (Http, "http"), (Queue, "queue") })
        {
            var created = await Commands.EdgeStackAsync(Repository.Root, "new", name, "--kind", kind);
            var tested = created.ExitCode != 0
                ? created
                : await Commands.DotnetAsync(Repository.Root, TimeSpan.FromMinutes(10), "test", $"tests/{name}.Tests", "-c", "Release", "-p:TreatWarningsAsErrors=true", "-nologo");
            Results[name] = (created, tested);
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
