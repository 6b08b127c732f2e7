using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace EdgeStack.Serve;

/// <summary>
/// <c>./edgestack storage</c>: what the running stack has stored in Azurite — blobs, queued messages and table rows — found
/// by listing the account, so it names no container, queue or table of its own.
/// </summary>
internal static class StorageCommand
{
    /// <summary>Gets the usage text, shared with the launcher's <c>./edgestack storage --help</c>.</summary>
    public static string Usage { get; } = ReadUsage();

    public static async Task<int> RunAsync(IReadOnlyList<string> args, string currentDirectory, TextWriter output, CancellationToken cancellationToken)
    {
        var what = new List<string>();
        var limit = 20;
        string? stateDirectory = null;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "-h" or "--help":
                    await output.WriteAsync(Usage);
                    return 0;
                case "--limit" when i + 1 < args.Count && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out limit) && limit is > 0 and <= 1000:
                    i++;
                    break;
                case "--limit":
                    throw new ArgumentException("--limit needs a number between 1 and 1000.");
                case "--state-dir" when i + 1 < args.Count:
                    stateDirectory = Path.GetFullPath(args[++i], currentDirectory);
                    break;
                default:
                    what.Add(args[i]);
                    break;
            }
        }

        var connectionString = ReadConnectionString(stateDirectory ?? Path.Combine(ServeOptions.FindRoot(currentDirectory), EdgeStack.Tools.ToolCommandLine.DefaultStateFolder));
        switch (what)
        {
            case []:
                await BlobsAsync(connectionString, limit, output, cancellationToken);
                await QueuesAsync(connectionString, limit, output, cancellationToken);
                await TablesAsync(connectionString, limit, output, cancellationToken);
                break;
            case ["blobs"]:
                await BlobsAsync(connectionString, limit, output, cancellationToken);
                break;
            case ["queues"]:
                await QueuesAsync(connectionString, limit, output, cancellationToken);
                break;
            case ["tables"]:
                await TablesAsync(connectionString, limit, output, cancellationToken);
                break;
            case ["blob", var path] when path.IndexOf('/', StringComparison.Ordinal) > 0:
                var container = path[..path.IndexOf('/', StringComparison.Ordinal)];
                var content = await new BlobContainerClient(connectionString, container).GetBlobClient(path[(container.Length + 1)..]).DownloadContentAsync(cancellationToken);
                await output.WriteLineAsync(content.Value.Content.ToString());
                break;
            default:
                throw new ArgumentException($"Unknown storage request '{string.Join(' ', what)}'; `./edgestack storage --help` lists them.");
        }

        return 0;
    }

    /// <summary>Reads storage-usage.txt, embedded in the tool: the launcher prints the same file without building anything.</summary>
    private static string ReadUsage()
    {
        using var stream = typeof(StorageCommand).Assembly.GetManifestResourceStream("EdgeStack.Serve.storage-usage.txt")
            ?? throw new InvalidOperationException("storage-usage.txt is not embedded in EdgeStack.Serve.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static string ReadConnectionString(string stateDirectory)
    {
        var manifest = Path.Combine(stateDirectory, "serve.json");
        if (!File.Exists(manifest))
        {
            throw new InvalidOperationException($"{manifest} does not exist: `./edgestack serve` is not running (it runs Azurite and writes that file).");
        }

        using var document = JsonDocument.Parse(File.ReadAllText(manifest));
        return document.RootElement.GetProperty("storage").GetProperty("connectionString").GetString()
            ?? throw new InvalidOperationException($"{manifest} has no storage.connectionString.");
    }

    private static async Task BlobsAsync(string connectionString, int limit, TextWriter output, CancellationToken cancellationToken)
    {
        var account = new BlobServiceClient(connectionString);
        await foreach (var container in account.GetBlobContainersAsync(cancellationToken: cancellationToken))
        {
            await output.WriteLineAsync($"container {container.Name}");
            var shown = 0;
            await foreach (var blob in account.GetBlobContainerClient(container.Name).GetBlobsAsync(cancellationToken: cancellationToken))
            {
                if (++shown > limit)
                {
                    await output.WriteLineAsync($"  ... (--limit {limit})");
                    break;
                }

                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {blob.Name,-56} {blob.Properties.ContentLength,9} B  {blob.Properties.LastModified:u}"));
            }
        }
    }

    private static async Task QueuesAsync(string connectionString, int limit, TextWriter output, CancellationToken cancellationToken)
    {
        var account = new QueueServiceClient(connectionString);
        await foreach (var item in account.GetQueuesAsync(cancellationToken: cancellationToken))
        {
            var queue = account.GetQueueClient(item.Name);
            var properties = await queue.GetPropertiesAsync(cancellationToken);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"queue {item.Name}: {properties.Value.ApproximateMessagesCount} message(s), visible and hidden"));

            // Peeking shows visible messages only: work in progress is hidden by its visibility timeout.
            foreach (var message in (await queue.PeekMessagesAsync(Math.Min(limit, 32), cancellationToken)).Value)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {message.MessageId} dequeued {message.DequeueCount}x: {message.Body}"));
            }
        }
    }

    private static async Task TablesAsync(string connectionString, int limit, TextWriter output, CancellationToken cancellationToken)
    {
        var account = new TableServiceClient(connectionString);
        await foreach (var item in account.QueryAsync(cancellationToken: cancellationToken))
        {
            await output.WriteLineAsync($"table {item.Name}");
            var shown = 0;
            await foreach (var row in account.GetTableClient(item.Name).QueryAsync<TableEntity>(maxPerPage: limit, cancellationToken: cancellationToken))
            {
                if (++shown > limit)
                {
                    await output.WriteLineAsync($"  ... (--limit {limit})");
                    break;
                }

                var values = row.Where(p => p.Key is not ("odata.etag" or "PartitionKey" or "RowKey" or "Timestamp")).Select(p => $"{p.Key}={p.Value}");
                await output.WriteLineAsync($"  {row.PartitionKey}/{row.RowKey} {string.Join(' ', values)}");
            }
        }
    }
}
