namespace EdgeStack.Cli.Tests;

/// <summary>A repository copy where <c>new</c> created an http and a queue function, each then built and tested with <c>dotnet test</c>.</summary>
public sealed class NewFunctionsFixture : IAsyncLifetime
{
    public const string Http = "thumbnail";
    public const string Queue = "resize";

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
}
