using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using EdgeStack.Testing;

namespace EdgeStack.Run.Tests;

/// <summary><c>./edgestack run NAME</c> as a real process: its storage, the function's run and the exit code.</summary>
public sealed class RunCommandTests : IDisposable
{
    private const string Maintenance = "maintenance";
    private static readonly TimeSpan s_hang = TimeSpan.FromSeconds(120);
    private readonly DirectoryInfo _state = Directory.CreateTempSubdirectory("edgestack-run-");

    [Fact]
    public async Task Run_ScheduledFunctionWithoutServe_StartsAzuriteRunsItOnceAndExitsZero()
    {
        var portBase = FunctionProcess.FreeConsecutivePorts(3);

        await using var run = await StartAsync([Maintenance, "--azurite-port-base", portBase.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        var exitCode = await run.WaitForExitAsync(s_hang);

        Assert.Equal(0, exitCode);
        Assert.Contains(run.Output, l => l.StartsWith("run: serve is not running; started Azurite", StringComparison.Ordinal));
        Assert.Contains(run.Output, l => l.Contains("Analytics rollup: 7 days", StringComparison.Ordinal));
        Assert.False(Accepts(portBase), "the Azurite run started is stopped after the run");
    }

    [Fact]
    public async Task Run_ServeRunning_UsesItsStorageAndCreatesWhatTheFunctionDeclares()
    {
        await using var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        var manifest = new JsonObject { ["storage"] = new JsonObject { ["connectionString"] = azurite.ConnectionString } };
        await File.WriteAllTextAsync(Path.Combine(_state.FullName, "serve.json"), manifest.ToJsonString());

        await using var run = await StartAsync([Maintenance, "--azurite-port-base", FunctionProcess.FreeConsecutivePorts(3).ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        var exitCode = await run.WaitForExitAsync(s_hang);
        var tables = new TableServiceClient(azurite.ConnectionString).QueryAsync(t => t.Name == "analyticsdaily");

        Assert.Equal(0, exitCode);
        Assert.Contains(run.Output, l => l.StartsWith("run: using the storage of the running serve", StringComparison.Ordinal));
        Assert.NotEmpty(await tables.ToListAsync());
        Assert.True(azurite.IsRunning);
    }

    [Fact]
    public async Task Run_RunFails_ExitsWithTheRunsNonZeroCode()
    {
        await using var run = await StartAsync(
            [Maintenance, "--azurite-port-base", FunctionProcess.FreeConsecutivePorts(3).ToString(System.Globalization.CultureInfo.InvariantCulture)],
            new() { ["Maintenance__StagingMaxAgeHours"] = "0" });

        var exitCode = await run.WaitForExitAsync(s_hang);

        Assert.NotEqual(0, exitCode);
        Assert.Contains(run.Output, l => l.StartsWith($"run: {Maintenance} exited with code {exitCode} ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("hello", "'hello' is not a scheduled function")]
    [InlineData("no-such-function", "No function 'no-such-function'")]
    public async Task Run_NotAScheduledFunction_IsRefusedNamingIt(string name, string expected)
    {
        await using var run = await StartAsync([name]);

        var exitCode = await run.WaitForExitAsync(s_hang);

        Assert.Equal(2, exitCode);
        Assert.Contains(run.Output, l => l.Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--azurite-port-base", "80")]
    [InlineData("--verbose")]
    public async Task Run_BadCommandLine_IsRefusedNamingTheOption(params string[] arguments)
    {
        await using var run = await StartAsync([Maintenance, .. arguments]);

        var exitCode = await run.WaitForExitAsync(s_hang);

        Assert.Equal(2, exitCode);
        Assert.Contains(run.Output, l => l.StartsWith("run: ", StringComparison.Ordinal) && l.Contains(arguments[0], StringComparison.Ordinal));
        Assert.DoesNotContain(run.Output, l => l.StartsWith($"run: {Maintenance} (schedule", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_Help_PrintsTheUsageAndExitsZeroWithoutRunning()
    {
        await using var run = await StartAsync([Maintenance, "--help"]);

        var exitCode = await run.WaitForExitAsync(s_hang);

        Assert.Equal(0, exitCode);
        Assert.Contains(run.Output, l => l.Contains("./edgestack run [<function>] [options]", StringComparison.Ordinal));
        Assert.DoesNotContain(run.Output, l => l.StartsWith("run: ", StringComparison.Ordinal));
    }

    public void Dispose() => _state.Delete(recursive: true);

    private Task<FunctionProcess> StartAsync(string[] arguments, Dictionary<string, string?>? environment = null)
    {
        // The tests run from tests/<Tests>/bin/<Configuration>/<tfm>/: the function was built the same way.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        return FunctionProcess.StartAsync(
            TestPaths.AppAssembly("EdgeStack.Run"),
            environment,
            waitUntilReady: false,
            arguments: [.. arguments, "--state-dir", _state.FullName, "--configuration", configuration],
            workingDirectory: TestPaths.RepositoryRoot);
    }

    private static bool Accepts(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
