using System.Diagnostics;
using System.Text.Json.Nodes;
using EdgeStack.Tools;

namespace EdgeStack.Run;

/// <summary>The storage a run uses: serve's Azurite when serve is running, otherwise an Azurite of its own on the same data, stopped after the run.</summary>
internal sealed class LocalStorage : IAsyncDisposable
{
    private readonly Process? _azurite;

    private LocalStorage(string connectionString, Process? azurite, JsonObject? serve)
    {
        ConnectionString = connectionString;
        _azurite = azurite;
        Serve = serve;
    }

    public string ConnectionString { get; }

    /// <summary>Gets serve's manifest (<c>serve.json</c>) when serve is running, for the analytics sink's URL and key.</summary>
    public JsonObject? Serve { get; }

    public bool StartedAzurite => _azurite is not null;

    /// <summary>Uses serve's storage when serve answers, otherwise starts Azurite with serve's data folder.</summary>
    public static async Task<LocalStorage> OpenAsync(RunOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        var manifestPath = Path.Combine(options.StateDirectory, "serve.json");
        if (File.Exists(manifestPath)
            && JsonNode.Parse(await File.ReadAllTextAsync(manifestPath, cancellationToken)) is JsonObject manifest
            && manifest["storage"]?["connectionString"]?.GetValue<string>() is { } serveConnection
            && BlobPort(serveConnection) is { } servePort
            && await LocalAzurite.AcceptsAsync(servePort, cancellationToken))
        {
            await output.WriteLineAsync($"run: using the storage of the running serve (blob port {servePort}).");
            return new LocalStorage(serveConnection, null, manifest);
        }

        var p = options.AzuritePortBase;
        foreach (var (port, _) in LocalAzurite.Ports(p))
        {
            if (await LocalAzurite.AcceptsAsync(port, cancellationToken))
            {
                throw new InvalidOperationException($"Port {port} is in use on 127.0.0.1 and serve is not running there; stop what holds it or pass --azurite-port-base.");
            }
        }

        var info = new ProcessStartInfo(LocalAzurite.Executable(options.RepositoryRoot, "run"), LocalAzurite.Arguments(p, options.StateDirectory))
        {
            WorkingDirectory = options.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(info) ?? throw new InvalidOperationException("Azurite did not start.");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { output.WriteLine("[azurite] " + e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { output.WriteLine("[azurite] " + e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var storage = new LocalStorage(LocalAzurite.ConnectionString(p), process, null);
        try
        {
            await LocalAzurite.WaitUntilListeningAsync(p, () => process.HasExited ? process.ExitCode : null, cancellationToken);
        }
        catch
        {
            await storage.DisposeAsync();
            throw;
        }

        await output.WriteLineAsync($"run: serve is not running; started Azurite on ports {p}-{p + 2} with the data in {LocalAzurite.DataFolder(options.StateDirectory)}.");
        return storage;
    }

    /// <summary>Stops the Azurite this run started (gracefully, so it saves its data); serve's is left alone.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_azurite is null)
        {
            return;
        }

        if (!_azurite.HasExited)
        {
            _ = Signals.Terminate(_azurite.Id);
            try
            {
                await _azurite.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (TimeoutException)
            {
                _azurite.Kill(entireProcessTree: true);
                await _azurite.WaitForExitAsync();
            }
        }

        _azurite.Dispose();
    }

    private static int? BlobPort(string connectionString) =>
        connectionString.Split(';').FirstOrDefault(p => p.StartsWith("BlobEndpoint=", StringComparison.Ordinal)) is { } endpoint
            && Uri.TryCreate(endpoint["BlobEndpoint=".Length..], UriKind.Absolute, out var uri)
            ? uri.Port
            : null;
}
