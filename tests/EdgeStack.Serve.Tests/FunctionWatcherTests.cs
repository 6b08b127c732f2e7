using EdgeStack.Testing;

namespace EdgeStack.Serve.Tests;

/// <summary><c>serve --watch</c> in a real serve process: a change in a function's folder is built with <c>dotnet build</c> and the function restarted.</summary>
public sealed class FunctionWatcherTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(120);
    private readonly ScratchRepository _repository = new();
    private readonly HttpClient _http = new();
    private FunctionProcess? _serve;

    private FunctionProcess Serve => _serve!;

    public async Task InitializeAsync()
    {
        _repository.AddFunction("echo");
        _serve = await _repository.StartServeAsync(["--watch", "--grace-period", "10"]);
        await Serve.WaitForLineAsync(l => l.StartsWith("serve: watching", StringComparison.Ordinal), Hang);
    }

    [Fact]
    public async Task Watch_FunctionChanged_RebuildsAndRestartsItGracefullyOnTheSamePort()
    {
        var before = await VersionAsync();

        await File.WriteAllTextAsync(Path.Combine(_repository.Root, "functions", "echo", "version.txt"), "2");
        await Serve.WaitForLineAsync(l => l == "serve: echo restarted from its new build.", Hang);

        Assert.Equal("1", before);
        Assert.Equal("2", await VersionAsync());
        Assert.Contains("serve: echo stopped (exit code 0).", Serve.Output);
    }

    [Fact]
    public async Task Watch_BuildFails_KeepsTheRunningFunction()
    {
        File.Delete(Path.Combine(_repository.Root, "functions", "echo", "version.txt"));

        await Serve.WaitForLineAsync(l => l.StartsWith("serve: echo did not build", StringComparison.Ordinal), Hang);

        Assert.Equal("1", await VersionAsync());
        Assert.DoesNotContain(Serve.Output, l => l.StartsWith("serve: echo stopped", StringComparison.Ordinal));
    }

    public async Task DisposeAsync()
    {
        if (_serve is not null)
        {
            _serve.Signal(FunctionProcess.SigTerm);
            await _serve.WaitForExitAsync(Hang);
            await _serve.DisposeAsync();
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _repository.Dispose();
    }

    private Task<string> VersionAsync() => _http.GetStringAsync(new Uri(ServeProcessTests.GatewayUrl(_repository) + "/functions/v1/echo/version"));
}
