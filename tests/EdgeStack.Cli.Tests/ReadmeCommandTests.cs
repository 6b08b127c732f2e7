namespace EdgeStack.Cli.Tests;

public sealed class ReadmeCommandTests
{
    [Fact]
    public async Task Readme_TableThatDisagrees_FailsTheCheckAndIsRewritten()
    {
        using var repository = new RepositoryCopy();
        var path = Path.Combine(repository.Root, "README.md");
        var original = await File.ReadAllTextAsync(path);
        await File.WriteAllTextAsync(path, original.Replace("| `hello` |", "| `helo` |", StringComparison.Ordinal));

        var check = await Commands.EdgeStackAsync(repository.Root, "readme", "--check");
        var write = await Commands.EdgeStackAsync(repository.Root, "readme");

        Assert.Equal(1, check.ExitCode);
        Assert.Contains("run ./edgestack readme", check.Error, StringComparison.Ordinal);
        Assert.Equal(0, write.ExitCode);
        Assert.Equal(original, await File.ReadAllTextAsync(path));
    }
}
