namespace EdgeStack.Cli.Tests;

public sealed class ReadmeCommandTests
{
    [Fact]
    public async Task Readme_TableThatDisagrees_FailsTheCheckAndIsRewritten()
    {
        using var repository = new RepositoryCopy();
        var path = Path.Combine(repository.Root, "README.md");
        var original = await File.ReadAllTextAsync(path);
        // Only inside the generated table: README.md has other tables naming functions, which the command leaves alone.
        var start = original.IndexOf("<!-- functions:", StringComparison.Ordinal);
        var end = original.IndexOf("<!-- /functions -->", start, StringComparison.Ordinal);
        var table = original[start..end];
        Assert.Contains("| `hello` |", table, StringComparison.Ordinal);
        await File.WriteAllTextAsync(path, original[..start] + table.Replace("| `hello` |", "| `helo` |", StringComparison.Ordinal) + original[end..]);

        var check = await Commands.EdgeStackAsync(repository.Root, "readme", "--check");
        var write = await Commands.EdgeStackAsync(repository.Root, "readme");

        Assert.Equal(1, check.ExitCode);
        Assert.Contains("run ./edgestack readme", check.Error, StringComparison.Ordinal);
        Assert.Equal(0, write.ExitCode);
        Assert.Equal(original, await File.ReadAllTextAsync(path));
    }
}
