using EdgeStack.Blueprint;

namespace EdgeStack.Cli.Tests;

/// <summary><c>new</c> refuses what it cannot create, and leaves the repository as it was; none of these builds anything.</summary>
public sealed class NewCommandTests(RepositoryCopy repository) : IClassFixture<RepositoryCopy>
{
    [Theory]
    [InlineData("", "a function needs a name")]
    [InlineData("Thumbnail", "'Thumbnail' is not a function name")]
    [InlineData("image_resize", "'image_resize' is not a function name")]
    [InlineData("a--b", "'a--b' is not a function name")]
    [InlineData("1st", "'1st' is not a function name")]
    [InlineData("abcdefghijklmnopqrstuvwxy", "longer than 24 characters")]
    public async Task New_BadName_IsRefusedNamingTheProblemAndCreatesNothing(string name, string expected)
    {
        var before = repository.Snapshot();

        var result = await Commands.EdgeStackAsync(repository.Root, "new", name);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.Equal(before, repository.Snapshot());
    }

    [Fact]
    public async Task New_NameOfAnExistingFunction_IsRefusedAndCreatesNothing()
    {
        var before = repository.Snapshot();

        var result = await Commands.EdgeStackAsync(repository.Root, "new", "hello");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("functions/hello already exists", result.Error, StringComparison.Ordinal);
        Assert.Equal(before, repository.Snapshot());
    }

    [Fact]
    public async Task New_UnknownKind_IsRefusedListingTheTemplatesKinds()
    {
        var before = repository.Snapshot();

        var result = await Commands.EdgeStackAsync(repository.Root, "new", "thumbnail", "--kind", "cron");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("'cron'", result.Error, StringComparison.Ordinal);
        Assert.Contains("'http'", result.Error, StringComparison.Ordinal);
        Assert.Contains("'queue'", result.Error, StringComparison.Ordinal);
        Assert.Contains("'scheduled'", result.Error, StringComparison.Ordinal);
        Assert.Equal(before, repository.Snapshot());
    }

    [Theory]
    [InlineData("every night", "'every night' has 2 fields")]
    [InlineData("0 25 * * *", "--schedule: ")]
    public async Task New_BadSchedule_IsRefusedNamingItAndCreatesNothing(string schedule, string expected)
    {
        var before = repository.Snapshot();

        var result = await Commands.EdgeStackAsync(repository.Root, "new", "nightly", "--kind", "scheduled", "--schedule", schedule);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.Equal(before, repository.Snapshot());
    }

    [Fact]
    public async Task New_ScheduleForAFunctionThatIsNotScheduled_IsRefusedAndCreatesNothing()
    {
        var before = repository.Snapshot();

        var result = await Commands.EdgeStackAsync(repository.Root, "new", "thumbnail", "--schedule", "0 3 * * *");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--schedule is only for --kind scheduled", result.Error, StringComparison.Ordinal);
        Assert.Equal(before, repository.Snapshot());
    }

    [Fact]
    public async Task New_DeclarationThatClashesWithAnother_IsUndoneNamingBoth()
    {
        // A queue function declares a durable handler named like itself: take the name of a handler another function declares.
        var (handler, owner) = FunctionManifest.Discover(repository.Root)
            .SelectMany(f => f.DurableHandlers.Select(h => (Handler: h, Owner: f.Name)))
            .First(h => FunctionManifest.NameProblem(h.Handler) is null && !Directory.Exists(Path.Combine(repository.Root, "functions", h.Handler)));
        var before = repository.Snapshot();

        var result = await Commands.EdgeStackAsync(repository.Root, "new", handler, "--kind", "queue");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"'{handler}' is declared by ", result.Error, StringComparison.Ordinal);
        Assert.Contains(owner, result.Error, StringComparison.Ordinal);
        Assert.Contains("Nothing was created", result.Error, StringComparison.Ordinal);
        Assert.Equal(before, repository.Snapshot());
    }
}
