namespace EdgeStack.Cli.Tests;

/// <summary>A step of <c>new</c> that fails after the function was generated: everything is undone.</summary>
public sealed class NewCommandRollbackTests
{
    [Fact]
    public async Task New_SolutionThatCannotBeUpdated_LeavesNoFolderAndTheSolutionAsItWas()
    {
        using var repository = new RepositoryCopy();
        await File.WriteAllTextAsync(Path.Combine(repository.Root, "EdgeStack.sln"), "not a solution file\n");
        var before = repository.Snapshot();

        var result = await Commands.EdgeStackAsync(repository.Root, "new", "thumbnail");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("adding the projects to EdgeStack.sln failed", result.Error, StringComparison.Ordinal);
        Assert.Contains("Nothing was created", result.Error, StringComparison.Ordinal);
        Assert.Equal(before, repository.Snapshot());
    }
}
