using EdgeStack.Testing;

namespace EdgeStack.Serve.Tests;

/// <summary>
/// The launcher's generic parts, run from a copy that holds the script and the usage texts only: a command that tried
/// to build or install anything there would fail.
/// </summary>
public sealed class LauncherTests : IDisposable
{
    private static readonly string[] Copied = ["edgestack", "tools/EdgeStack.Serve/storage-usage.txt", "bench/run.sh"];

    private readonly string _root = Directory.CreateTempSubdirectory("edgestack-launcher-").FullName;

    public LauncherTests()
    {
        foreach (var file in Copied)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(_root, file))!);
            File.Copy(Path.Combine(TestPaths.RepositoryRoot, file), Path.Combine(_root, file));
        }
    }

    [Fact]
    public async Task UnknownCommand_SaysSoWithUsage_Exit2()
    {
        var (code, stdout, stderr) = await RunAsync("srve");

        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.StartsWith("edgestack: unknown command 'srve'", stderr, StringComparison.Ordinal);
        Assert.Contains("usage: ./edgestack <command>", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("storage", "--help", "tools/EdgeStack.Serve/storage-usage.txt")]
    [InlineData("storage", "-h", "tools/EdgeStack.Serve/storage-usage.txt")]
    public async Task Help_PrintsTheToolsOwnUsageWithoutBuilding(string command, string option, string usageFile)
    {
        var (code, stdout, _) = await RunAsync(command, "--limit", "5", option);

        Assert.Equal(0, code);
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(_root, usageFile)), stdout);
    }

    [Theory]
    [InlineData("test")]
    [InlineData("bench")]
    [InlineData("reliability")]
    [InlineData("mutate")]
    public async Task Help_OnEveryCommand_PrintsItsUsageWithoutBuilding(string command)
    {
        var (code, stdout, stderr) = await RunAsync(command, "--help");

        Assert.Equal(0, code);
        Assert.Contains("./edgestack " + command, stdout, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(stderr);
    }

    [Theory]
    [InlineData("serve", "-h", "./edgestack serve [options]")]
    [InlineData("run", "--help", "./edgestack run [<function>] [options]")]
    public async Task Help_OfServeAndRun_IsTheToolsOwnThroughTheRepositorysLauncher(string command, string option, string usage)
    {
        // The repository's launcher, not the copy: it builds the tool (up to date once the tests are built) and runs it.
        var (code, stdout, stderr) = await ProcessRun.RunAsync(
            "bash",
            [Path.Combine(TestPaths.RepositoryRoot, "edgestack"), command, "--port-base", "80", option],
            TestPaths.RepositoryRoot,
            timeout: TimeSpan.FromMinutes(5));

        Assert.Equal(0, code);
        Assert.Contains(usage, stdout, StringComparison.Ordinal);
        Assert.Contains("--azurite-port-base <N>", stdout, StringComparison.Ordinal);
        Assert.Empty(stderr);
    }

    [Fact]
    public async Task Mutate_UnknownProject_NamesTheProjectsItKnows_Exit2()
    {
        var (code, stdout, stderr) = await RunAsync("mutate", "EdgeStack.Serve");

        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.StartsWith("edgestack: mutate knows EdgeStack.Blueprint, EdgeStack.Azure and EdgeStack.Runtime, not 'EdgeStack.Serve'", stderr, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private Task<ProcessResult> RunAsync(params string[] arguments) =>
        ProcessRun.RunAsync("bash", [Path.Combine(_root, "edgestack"), .. arguments], _root);
}
