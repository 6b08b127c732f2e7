using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace EdgeStack.Run;

/// <summary>The storage a run uses: serve's Azurite when serve is running, otherwise an Azurite of its own on the same data, stopped after the run.</summary>
internal sealed class LocalStorage : IAsyncDisposable
{
    /// <summary>Azurite's documented development account: a public, well-known key, never used in Azure.</summary>
    private const string DevAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
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
            && await AcceptsAsync(servePort, cancellationToken))
        {
            await output.WriteLineAsync($"run: using the storage of the running serve (blob port {servePort}).");
            return new LocalStorage(serveConnection, null, manifest);
        }

        var p = options.AzuritePortBase;
        foreach (var port in new[] { p, p + 1, p + 2 })
        {
            if (await AcceptsAsync(port, cancellationToken))
            {
                throw new InvalidOperationException($"Port {port} is in use on 127.0.0.1 and serve is not running there; stop what holds it or pass --azurite-port-base.");
            }
        }

        var azurite = Path.Combine(options.RepositoryRoot, "node_modules", ".bin", "azurite");
        if (!File.Exists(azurite))
        {
            throw new InvalidOperationException($"Azurite is not installed at {azurite}; run `npm ci` in {options.RepositoryRoot} (./edgestack run does).");
        }

        var data = Path.Combine(options.StateDirectory, "azurite");
        Directory.CreateDirectory(data);
        var info = new ProcessStartInfo(azurite)
        {
            WorkingDirectory = options.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--silent", "--disableTelemetry", "--skipApiVersionCheck", "--loose",
            "--blobHost", "127.0.0.1", "--blobPort", Text(p),
            "--queueHost", "127.0.0.1", "--queuePort", Text(p + 1),
            "--tableHost", "127.0.0.1", "--tablePort", Text(p + 2),
            "--location", data,
        })
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("Azurite did not start.");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { output.WriteLine("[azurite] " + e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { output.WriteLine("[azurite] " + e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var storage = new LocalStorage(
            string.Create(
                CultureInfo.InvariantCulture,
                $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevAccountKey};" +
                $"BlobEndpoint=http://127.0.0.1:{p}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{p + 1}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{p + 2}/devstoreaccount1;"),
            process,
            null);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(StartTimeout);
        try
        {
            foreach (var port in new[] { p, p + 1, p + 2 })
            {
                while (!await AcceptsAsync(port, deadline.Token))
                {
                    if (process.HasExited)
                    {
                        throw new InvalidOperationException($"Azurite exited with code {process.ExitCode} before it listened on {port}.");
                    }

                    await Task.Delay(100, deadline.Token);
                }
            }
        }
        catch
        {
            await storage.DisposeAsync();
            throw;
        }

        await output.WriteLineAsync($"run: serve is not running; started Azurite on ports {p}-{p + 2} with the data in {data}.");
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

    private static async Task<bool> AcceptsAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
