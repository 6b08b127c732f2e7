using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using EdgeStack.Azure;
using EdgeStack.Contracts;
using EdgeStack.Functions.Upload;
using EdgeStack.Testing;

namespace EdgeStack.Reliability.Tests;

/// <summary>One Azurite per scenario class, a distinct key per function, and the storage views the scenarios check.</summary>
public sealed class ReliabilityStack : IAsyncLifetime
{
    public const string Hello = "hello";
    public const string Upload = "upload";
    public const string Analytics = "analytics";
    public const string Worker = "worker";

    /// <summary>The functions with durable work: each has its own work queue and poison queue.</summary>
    public static readonly string[] DurableFunctions = [Upload, Worker];

    private readonly Dictionary<string, string> _keys = new()
    {
        [Hello] = "hello-key-" + Guid.NewGuid().ToString("N"),
        [Upload] = "upload-key-" + Guid.NewGuid().ToString("N"),
        [Analytics] = "analytics-key-" + Guid.NewGuid().ToString("N"),
        [Worker] = "worker-key-" + Guid.NewGuid().ToString("N"),
    };

    /// <summary>The analytics sink's read key (<c>GET /events</c>), apart from the key that writes.</summary>
    public string AnalyticsReadKey { get; } = "analytics-read-key-" + Guid.NewGuid().ToString("N");

    public AzuriteFixture Azurite { get; } = new();

    public BlobContainerClient Uploads => Azurite.Uploads;

    /// <summary>Gets the work queue of <paramref name="function"/>, <c>&lt;function&gt;-jobs</c>.</summary>
    public QueueClient WorkQueue(string function) => Azurite.WorkQueue(function);

    public TableClient Events => Azurite.Events;

    /// <summary>Every secret no log line may hold: the function keys and the storage account key.</summary>
    public IReadOnlyList<string> Secrets => [.. _keys.Values, AnalyticsReadKey, AzuriteFixture.AccountKey];

    public string KeyOf(string project) => _keys[project];

    public async Task InitializeAsync()
    {
        await Azurite.InitializeAsync();
        await Azurite.CreateResourcesAsync(DurableFunctions);
    }

    public Task DisposeAsync() => Azurite.DisposeAsync();

    /// <summary>Starts a function app against this Azurite with its own key, plus <paramref name="settings"/> (configuration keys).</summary>
    public Task<FunctionProcess> StartAsync(string project, IReadOnlyDictionary<string, string>? settings = null, int? port = null)
    {
        var environment = new Dictionary<string, string?>
        {
            [SettingNames.ToEnvironmentVariable(SettingNames.StorageConnectionString)] = Azurite.ConnectionString,
            [SettingNames.ToEnvironmentVariable(SettingNames.FunctionKey)] = _keys[project],
        };
        if (project == Analytics)
        {
            environment[SettingNames.ToEnvironmentVariable(SettingNames.FunctionReadKey)] = AnalyticsReadKey;
        }

        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            environment[SettingNames.ToEnvironmentVariable(name)] = value;
        }

        return FunctionProcess.StartAsync(FunctionApps.AssemblyPath(project), environment, port: port);
    }

    /// <summary>The settings that point <c>hello</c> at an analytics sink.</summary>
    public Dictionary<string, string> HelloSettings(Uri sink) => new()
    {
        [SettingNames.AnalyticsEndpoint] = sink.ToString(),
        [SettingNames.AnalyticsKey] = _keys[Analytics],
    };

    /// <summary>The names of the blobs under <paramref name="prefix"/>.</summary>
    public async Task<HashSet<string>> BlobNamesAsync(string prefix)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var blob in Uploads.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, CancellationToken.None))
        {
            names.Add(blob.Name);
        }

        return names;
    }

    /// <summary>The uploads among <paramref name="expected"/> (id → body) whose blob is missing or holds another body.</summary>
    public async Task<List<string>> MissingUploadsAsync(IReadOnlyDictionary<string, string> expected)
    {
        var names = await BlobNamesAsync(UploadHandler.Prefix);
        var missing = expected.Keys.Where(id => !names.Contains(UploadHandler.BlobName(id))).ToList();
        return missing;
    }

    /// <summary>Checks every stored upload holds exactly the body that was posted.</summary>
    public async Task<List<string>> WrongBodiesAsync(IReadOnlyDictionary<string, string> expected)
    {
        var wrong = new List<string>();
        foreach (var (id, body) in expected)
        {
            var content = await Uploads.GetBlobClient(UploadHandler.BlobName(id)).DownloadContentAsync();
            if (content.Value.Content.ToString() != body)
            {
                wrong.Add(id);
            }
        }

        return wrong;
    }

    /// <summary>Every message on the poison queues of the durable functions, decoded; they are hidden for a while afterwards (read at the end of a scenario).</summary>
    public async Task<List<PoisonedWork>> ReadPoisonAsync()
    {
        var all = new List<PoisonedWork>();
        foreach (var function in DurableFunctions)
        {
            var poison = Azurite.PoisonQueue(function);
            while (true)
            {
                var batch = await poison.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(10));
                if (batch.Value.Length == 0)
                {
                    break;
                }

                all.AddRange(batch.Value.Select(m => JsonSerializer.Deserialize<PoisonedWork>(Convert.FromBase64String(m.Body.ToString()))!));
            }
        }

        return all;
    }

    /// <summary>Whether a poisoned message carries <paramref name="marker"/> (a work or upload id).</summary>
    public static bool Holds(PoisonedWork? poisoned, string marker) => poisoned?.Message?.Contains(marker, StringComparison.Ordinal) == true;

    public async Task<int> CountEventsAsync(string function)
    {
        var count = 0;
        await foreach (var _ in Events.QueryAsync<TableEntity>(e => e.GetString("Function") == function, select: ["RowKey"]))
        {
            count++;
        }

        return count;
    }

    public async Task<int> CountAllEventsAsync()
    {
        var count = 0;
        await foreach (var _ in Events.QueryAsync<TableEntity>(select: ["RowKey"]))
        {
            count++;
        }

        return count;
    }

    /// <summary>The messages still on the work queues of the durable functions.</summary>
    public async Task<int> JobsCountAsync()
    {
        var count = 0;
        foreach (var function in DurableFunctions)
        {
            count += (await WorkQueue(function).GetPropertiesAsync()).Value.ApproximateMessagesCount;
        }

        return count;
    }

    public static string Number(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
