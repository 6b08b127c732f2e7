using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using EdgeStack.Contracts;
using Xunit;

namespace EdgeStack.Testing;

/// <summary>
/// Azurite (blob, queue, table) from the repository's node_modules on three free loopback ports, with its data in a
/// temporary folder; it can be stopped and started again on the same ports and data. Use it as an xunit fixture.
/// </summary>
/// <remarks>
/// The first start lets Azurite bind port 0 for each service and reads the ports it got from its own output, so no other
/// process can take a port between its choice and the bind; a start is over when this process says all three listen.
/// </remarks>
public partial class AzuriteFixture : IAsyncLifetime
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The well-known key of Azurite's development account (public, not a secret).</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public const string AccountName = "devstoreaccount1";

    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;

    public int BlobPort { get; private set; }

    public int QueuePort { get; private set; }

    public int TablePort { get; private set; }

    public string DataFolder { get; private set; } = "";

    public bool IsRunning => _process is { HasExited: false };

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/{AccountName};QueueEndpoint=http://127.0.0.1:{QueuePort}/{AccountName};TableEndpoint=http://127.0.0.1:{TablePort}/{AccountName};";

    public IReadOnlyCollection<string> Output => _output.ToArray();

    /// <summary>Gets the <c>uploads</c> container; valid once the fixture is initialized, across restarts.</summary>
    public BlobContainerClient Uploads { get; private set; } = null!;

    /// <summary>Gets the <c>analytics</c> table.</summary>
    public TableClient Events { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        DataFolder = Directory.CreateTempSubdirectory("edgestack-azurite-").FullName;
        await StartAsync();
        Uploads = new BlobServiceClient(ConnectionString).GetBlobContainerClient(StorageNames.UploadsContainer);
        Events = new TableServiceClient(ConnectionString).GetTableClient(StorageNames.AnalyticsTable);
    }

    /// <summary>Gets the work queue of a function with durable work, <c>&lt;function&gt;-jobs</c>.</summary>
    public QueueClient WorkQueue(string function) => new QueueServiceClient(ConnectionString).GetQueueClient(StorageNames.WorkQueueOf(function));

    /// <summary>Gets the poison queue of a function with durable work, <c>&lt;function&gt;-jobs-poison</c>.</summary>
    public QueueClient PoisonQueue(string function) => new QueueServiceClient(ConnectionString).GetQueueClient(StorageNames.PoisonQueueOf(function));

    /// <summary>Creates the container, table and the work queues of <paramref name="durableFunctions"/>, as serve and the stack do.</summary>
    public async Task CreateResourcesAsync(params string[] durableFunctions)
    {
        await Uploads.CreateIfNotExistsAsync();
        await Events.CreateIfNotExistsAsync();
        foreach (var function in durableFunctions)
        {
            await WorkQueue(function).CreateIfNotExistsAsync();
            await PoisonQueue(function).CreateIfNotExistsAsync();
        }
    }

    /// <summary>Starts Azurite on the fixture's ports (free ones at the first start) and data folder and waits until it says all three services listen.</summary>
    public async Task StartAsync()
    {
        if (IsRunning)
        {
            return;
        }

        var azurite = Path.Combine(TestPaths.RepositoryRoot, "node_modules", ".bin", "azurite");
        if (!File.Exists(azurite))
        {
            throw new FileNotFoundException("Azurite is not installed: run 'npm ci' at the repository root.", azurite);
        }

        var info = new ProcessStartInfo(azurite)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = DataFolder,
        };
        foreach (var argument in new[]
        {
            "--silent", "--skipApiVersionCheck", "--disableTelemetry", "--loose",
            "--blobHost", "127.0.0.1", "--blobPort", BlobPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--queueHost", "127.0.0.1", "--queuePort", QueuePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--tableHost", "127.0.0.1", "--tablePort", TablePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--location", DataFolder,
        })
        {
            info.ArgumentList.Add(argument);
        }

        var listening = new ConcurrentDictionary<string, int>();
        var allListening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            Record(e.Data);
            if (e.Data is not null && ListeningLine().Match(e.Data) is { Success: true } match)
            {
                listening[match.Groups["service"].Value] = int.Parse(match.Groups["port"].Value, CultureInfo.InvariantCulture);
                if (listening.Count == 3)
                {
                    allListening.TrySetResult();
                }
            }
        };
        process.ErrorDataReceived += (_, e) => Record(e.Data);
        process.Exited += (_, _) => allListening.TrySetException(new InvalidOperationException("Azurite exited."));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        try
        {
            await allListening.Task.WaitAsync(s_startTimeout);
        }
        catch (Exception exception) when (exception is InvalidOperationException or TimeoutException)
        {
            await StopAsync();
            var ports = BlobPort == 0 ? "free ports" : $"ports {BlobPort}/{QueuePort}/{TablePort}";
            throw new InvalidOperationException($"Azurite did not start on {ports}:{Environment.NewLine}{string.Join(Environment.NewLine, _output)}", exception);
        }

        (BlobPort, QueuePort, TablePort) = (listening["Blob"], listening["Queue"], listening["Table"]);
    }

    /// <summary>Stops Azurite (its data stays in <see cref="DataFolder"/>).</summary>
    /// <param name="graceful">
    /// SIGTERM and wait for Azurite to save its metadata, like a storage service going away without losing what it
    /// acknowledged; false kills it at once, and Azurite may forget the last seconds of writes (it saves every 5 s).
    /// </param>
    public async Task StopAsync(bool graceful = false)
    {
        if (_process is not { } process)
        {
            return;
        }

        _process = null;
        if (graceful && !process.HasExited && FunctionProcess.Kill(process.Id, FunctionProcess.SigTerm) == 0)
        {
            using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await process.WaitForExitAsync(bounded.Token);
            }
            catch (OperationCanceledException)
            {
                // Did not stop in time: kill it below.
            }
        }

        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
        process.Dispose();
    }

    /// <summary>Stops and starts Azurite again on the same ports and data.</summary>
    /// <param name="graceful">See <see cref="StopAsync"/>.</param>
    public async Task RestartAsync(bool graceful = false)
    {
        await StopAsync(graceful);
        await StartAsync();
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(DataFolder, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    private void Record(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }

    [GeneratedRegex(@"^Azurite (?<service>Blob|Queue|Table) service is successfully listening at http://127\.0\.0\.1:(?<port>\d+)$")]
    private static partial Regex ListeningLine();
}
