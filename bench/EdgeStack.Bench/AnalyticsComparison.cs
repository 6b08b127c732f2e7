using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Azure.Data.Tables;
using EdgeStack.Contracts;

namespace EdgeStack.Bench;

/// <summary>
/// Row 7: analytics events per second landing in the table when wrk loads <c>hello</c> (hello → its batching
/// client → the <c>analytics</c> sink → Azurite), against one <c>AddEntityAsync</c> per event from the same concurrency.
/// </summary>
internal sealed class AnalyticsComparison(BenchOptions options, Wrk wrk)
{
    /// <summary>Azurite's documented development account: a public, well-known key, never used in Azure.</summary>
    private const string DevAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private const string BaselineTable = "analyticsbaseline";
    private const string HelloKey = "bench-hello-key-0123456789abcdef0123";
    private const string SinkKey = "bench-analytics-key-0123456789abcdef0";

    public async Task<Section> RunAsync()
    {
        var hello = FunctionAssembly("hello");
        var sink = FunctionAssembly("analytics");
        var azurite = Path.Combine(options.RepositoryRoot, "node_modules", ".bin", "azurite");
        if (!File.Exists(hello) || !File.Exists(sink) || !File.Exists(azurite))
        {
            return Pending($"needs {hello}, {sink} and {azurite} (run.sh builds the functions and runs `npm ci`).");
        }

        List<double> pipeline = [], baseline = [];
        var notes = new List<string>();
        var rounds = options.Quick ? 1 : 3;
        for (var round = 0; round < rounds; round++)
        {
            var ports = new[] { FreePort(), FreePort(), FreePort() };
            var connection = ConnectionString(ports);
            await using var storage = AppProcess.Start(new AppVariant(
                "azurite",
                azurite,
                [
                    "--silent", "--disableTelemetry", "--skipApiVersionCheck", "--loose", "--inMemoryPersistence",
                    "--blobHost", "127.0.0.1", "--blobPort", $"{ports[0]}",
                    "--queueHost", "127.0.0.1", "--queuePort", $"{ports[1]}",
                    "--tableHost", "127.0.0.1", "--tablePort", $"{ports[2]}",
                ],
                new Dictionary<string, string>(),
                options.RepositoryRoot));
            await WaitForPortAsync(ports[2]);
            var service = new TableServiceClient(connection);
            await service.CreateTableIfNotExistsAsync(StorageNames.AnalyticsTable);
            await service.CreateTableIfNotExistsAsync(BaselineTable);

            // Alternate which side goes first.
            if (round % 2 == 0)
            {
                pipeline.Add(await PipelineAsync(hello, sink, connection, service, notes));
                baseline.Add(await BaselineAsync(service));
            }
            else
            {
                baseline.Add(await BaselineAsync(service));
                pipeline.Add(await PipelineAsync(hello, sink, connection, service, notes));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  round {round + 1}: pipeline {pipeline[^1]:0} events/s, one insert per event {baseline[^1]:0} events/s"));
        }

        var p = Stats.Of(pipeline);
        var b = Stats.Of(baseline);
        var ratio = p.Median / b.Median;
        var text = new StringBuilder();
        text.AppendLine("## Row 7: analytics events/s into the table");
        text.AppendLine();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Azurite (in memory) on loopback. **Pipeline**: wrk `-t2 -c{options.Connections}` loads the real `hello` function (key check on) for {options.AnalyticsDuration.TotalSeconds} s; each request tracks one event through its batching client (`WaitUntil` sender) to the real `analytics` sink, which writes batches of up to 100 as table transactions. Events/s = rows that landed in `analytics` ÷ time from the start of the load until the last row landed (polled every 250 ms until the count holds still for 2 s). **Baseline**: {options.Connections} concurrent C# loops each doing one `TableClient.AddEntityAsync` per event (same entity shape) for the same time. {rounds} rounds, alternating."));
        text.AppendLine();
        text.Append(Markdown.Table(
            ["path", "events/s, median (min–max)", "ratio"],
            [
                ["`hello` → client batches → sink → table transactions", p.Format("0"), Markdown.Ratio(ratio)],
                ["one `AddEntityAsync` per event (baseline)", b.Format("0"), "1.00×"],
            ]));
        text.AppendLine();
        foreach (var note in notes)
        {
            text.AppendLine("- " + note);
        }

        text.AppendLine();
        SummaryRow[] rows =
        [
            new(7, "analytics: events/s from `hello` to the table through the sink", "≥ 10× one insert per event",
                string.Create(CultureInfo.InvariantCulture, $"{p.Median:0} events/s"),
                string.Create(CultureInfo.InvariantCulture, $"{b.Median:0} events/s"),
                Markdown.Ratio(ratio), ratio >= 10),
        ];
        return new Section(rows, text.ToString());
    }

    private static Section Pending(string why)
    {
        Console.WriteLine("  row 7 pending: " + why);
        SummaryRow[] rows = [new(7, "analytics: events/s from `hello` to the table through the sink", "≥ 10× one insert per event", "pending", "pending", "n/a", null)];
        return new Section(rows, "## Row 7: analytics events/s into the table\n\nPending: " + why + "\n\n");
    }

    private async Task<double> PipelineAsync(string hello, string sink, string connection, TableServiceClient service, List<string> notes)
    {
        var sinkVariant = new AppVariant("analytics", "dotnet", [sink], new Dictionary<string, string>
        {
            [SettingNames.ToEnvironmentVariable(SettingNames.FunctionName)] = "analytics",
            [SettingNames.ToEnvironmentVariable(SettingNames.FunctionKey)] = SinkKey,
            [SettingNames.ToEnvironmentVariable(SettingNames.StorageConnectionString)] = connection,
        });
        await using var sinkApp = AppProcess.Start(sinkVariant);
        await sinkApp.WaitForFirstOkAsync(TimeSpan.FromSeconds(60), Routes.Readiness);
        var helloVariant = new AppVariant("hello", "dotnet", [hello], new Dictionary<string, string>
        {
            [SettingNames.ToEnvironmentVariable(SettingNames.FunctionName)] = "hello",
            [SettingNames.ToEnvironmentVariable(SettingNames.FunctionKey)] = HelloKey,
            [SettingNames.ToEnvironmentVariable(SettingNames.AnalyticsEndpoint)] = sinkApp.Url.ToString().TrimEnd('/'),
            [SettingNames.ToEnvironmentVariable(SettingNames.AnalyticsKey)] = SinkKey,
        });
        await using var helloApp = AppProcess.Start(helloVariant);
        await helloApp.WaitForFirstOkAsync(TimeSpan.FromSeconds(60), Routes.Readiness);

        var table = service.GetTableClient(StorageNames.AnalyticsTable);
        var before = await CountAsync(table);
        var started = Stopwatch.GetTimestamp();
        var load = await wrk.RunAsync(helloApp.Url, options.AnalyticsDuration, options.Connections, "Authorization: Bearer " + HelloKey);
        var (landed, lastLanding) = await WaitForFlushAsync(table, before);
        var seconds = Stopwatch.GetElapsedTime(started, lastLanding).TotalSeconds;
        notes.Add(string.Create(CultureInfo.InvariantCulture, $"pipeline run: `hello` served {load.Requests} requests ({load.RequestsPerSecond:0}/s, {load.Errors} errors); {landed} events landed in {seconds:0.0} s ({100.0 * landed / Math.Max(1, load.Requests):0.0} % of requests; the rest were dropped by the client's bounded buffer, counted in `edgestack.analytics.dropped`)."));
        return landed / seconds;
    }

    private async Task<double> BaselineAsync(TableServiceClient service)
    {
        var table = service.GetTableClient(BaselineTable);
        long inserted = 0;
        var started = Stopwatch.GetTimestamp();
        using var stop = new CancellationTokenSource(options.AnalyticsDuration);
        await Parallel.ForAsync(0, options.Connections, async (worker, _) =>
        {
            var i = 0;
            while (!stop.IsCancellationRequested)
            {
                var now = DateTimeOffset.UtcNow;
                var entity = new TableEntity(now.ToString("yyyyMMdd", CultureInfo.InvariantCulture), string.Create(CultureInfo.InvariantCulture, $"{DateTime.MaxValue.Ticks - now.UtcTicks:D19}-{worker}-{i++}-{Guid.NewGuid():N}"))
                {
                    ["Name"] = "request",
                    ["EventTime"] = now,
                    ["ReceivedAt"] = now,
                    ["Function"] = "hello",
                    ["Properties"] = "{\"path\":\"/\",\"method\":\"GET\"}",
                };
                await table.AddEntityAsync(entity, CancellationToken.None);
                Interlocked.Increment(ref inserted);
            }
        });
        return inserted / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    private static async Task<(long Landed, long LastLanding)> WaitForFlushAsync(TableClient table, long before)
    {
        var last = await CountAsync(table);
        var lastChange = Stopwatch.GetTimestamp();
        var deadline = Stopwatch.GetTimestamp() + (60 * Stopwatch.Frequency);
        while (Stopwatch.GetElapsedTime(lastChange) < TimeSpan.FromSeconds(2) && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(250);
            var count = await CountAsync(table);
            if (count != last)
            {
                last = count;
                lastChange = Stopwatch.GetTimestamp();
            }
        }

        return (last - before, lastChange);
    }

    private static async Task<long> CountAsync(TableClient table)
    {
        long count = 0;
        await foreach (var page in table.QueryAsync<TableEntity>(select: ["PartitionKey"], maxPerPage: 1000).AsPages())
        {
            count += page.Values.Count;
        }

        return count;
    }

    private string FunctionAssembly(string app) =>
        Path.Combine(options.RepositoryRoot, "functions", app, "bin", "Release", "net10.0", app + ".dll");

    private static string ConnectionString(int[] ports) => string.Create(
        CultureInfo.InvariantCulture,
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevAccountKey};BlobEndpoint=http://127.0.0.1:{ports[0]}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{ports[1]}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{ports[2]}/devstoreaccount1;");

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitForPortAsync(int port)
    {
        var deadline = Stopwatch.GetTimestamp() + (60 * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new TimeoutException($"Azurite did not listen on {port}.");
    }
}
