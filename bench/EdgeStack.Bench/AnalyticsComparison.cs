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
/// client → the <c>analytics</c> sink → Azurite behind a <see cref="DelayProxy"/>), against one <c>AddEntityAsync</c> per event
/// through the same proxy.
/// </summary>
internal sealed class AnalyticsComparison(BenchOptions options, Wrk wrk)
{
    /// <summary>Azurite's documented development account: a public, well-known key, never used in Azure.</summary>
    private const string DevAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private const string BaselineTable = "analyticsbaseline";
    private const string SinkKey = "bench-analytics-key-0123456789abcdef0";

    public async Task<Section> RunAsync()
    {
        var sink = FunctionAssembly("analytics");
        var azurite = Path.Combine(options.RepositoryRoot, "node_modules", ".bin", "azurite");
        if (!File.Exists(FunctionAssembly("hello")) || !File.Exists(sink) || !File.Exists(azurite))
        {
            return Pending($"needs {FunctionAssembly("hello")}, {sink} and {azurite} (run.sh builds the functions and runs `npm ci`).");
        }

        List<double> pipeline = [], baseline = [], concurrent = [], directRoundTrip = [], proxiedRoundTrip = [];
        var notes = new List<string>();
        var rounds = options.Quick ? 1 : 3;
        for (var round = 0; round < rounds; round++)
        {
            var ports = new[] { FreePort(), FreePort(), FreePort() };
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

            // Everything that writes goes through the delay proxy; counting rows goes direct, so polling costs no latency.
            await using var proxy = await DelayProxy.StartAsync(ports[2]);
            var (direct, proxied) = await proxy.MeasureRoundTripAsync(ports[2], options.Quick ? 10 : 50);
            directRoundTrip.Add(direct);
            proxiedRoundTrip.Add(proxied);
            var connection = ConnectionString(ports, proxy.Port);
            var service = new TableServiceClient(ConnectionString(ports, ports[2]));
            var proxiedService = new TableServiceClient(connection);
            await service.CreateTableIfNotExistsAsync(StorageNames.AnalyticsTable);
            await service.CreateTableIfNotExistsAsync(BaselineTable);

            // Rotate which side goes first.
            Func<Task>[] sides =
            [
                async () => pipeline.Add(await PipelineAsync(sink, connection, service, notes)),
                async () => baseline.Add(await BaselineAsync(proxiedService, concurrency: 1)),
                async () => concurrent.Add(await BaselineAsync(proxiedService, options.Connections)),
            ];
            for (var i = 0; i < sides.Length; i++)
            {
                await sides[(i + round) % sides.Length]();
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  round {round + 1}: round trip {direct:0.00} ms direct, {proxied:0.00} ms through the proxy; pipeline {pipeline[^1]:0} events/s, one insert per event {baseline[^1]:0} events/s (1 in flight), {concurrent[^1]:0} events/s ({options.Connections} in flight)"));
        }

        var p = Stats.Of(pipeline);
        var b = Stats.Of(baseline);
        var c = Stats.Of(concurrent);
        var ratio = p.Median / b.Median;
        var roundTrip = string.Create(CultureInfo.InvariantCulture, $"{DelayProxy.OneWay.TotalMilliseconds:0} ms each way (a round trip {Stats.Of(proxiedRoundTrip).Median:0.00} ms through the proxy against {Stats.Of(directRoundTrip).Median:0.00} ms direct, medians)");
        var helloName = AppVariant.HelloNativeAot(options, "hello AOT") is null ? "`hello` (JIT)" : "`hello` (Native AOT)";
        var text = new StringBuilder();
        text.AppendLine("## Row 7: analytics events/s into the table, behind an injected network latency");
        text.AppendLine();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Azurite (in memory) behind a delay proxy: a YARP forwarder in this process that holds every request and every response {roundTrip}, the round trip a store in the cloud costs and loopback does not. Every write of both paths goes through it. **Pipeline**: wrk `-t2 -c{options.Connections}` loads the real {helloName} (key check on) for {options.AnalyticsDuration.TotalSeconds} s; each request tracks one event through its batching client (one batch in flight, sent from a `WaitUntil` pump) to the real `analytics` sink, which writes each batch (up to 100) as one table transaction. Events/s = rows that landed in `analytics` ÷ time from the start of the load until the last row landed (counted direct, polled every 250 ms until the count holds still for 2 s). **Baseline**: one `TableClient.AddEntityAsync` per event (same entity shape) for the same time, with one insert in flight as the pipeline has one transaction in flight; and, for reference, {options.Connections} in flight. {rounds} rounds, the order rotating."));
        text.AppendLine();
        text.Append(Markdown.Table(
            ["path", "events/s, median (min–max)", "ratio"],
            [
                [$"{helloName} → client batches → sink → table transactions", p.Format("0"), Markdown.Ratio(ratio)],
                ["one `AddEntityAsync` per event, 1 in flight (baseline)", b.Format("0"), "1.00×"],
                [string.Create(CultureInfo.InvariantCulture, $"one `AddEntityAsync` per event, {options.Connections} in flight (reference)"), c.Format("0"), Markdown.Ratio(c.Median / b.Median)],
            ]));
        text.AppendLine();
        foreach (var note in notes)
        {
            text.AppendLine("- " + note);
        }

        text.AppendLine();
        SummaryRow[] rows =
        [
            new(7, "analytics: events/s from `hello` to the table through the sink, store behind " + DelayProxy.OneWay.TotalMilliseconds.ToString(CultureInfo.InvariantCulture) + " ms each way", "≥ 10× one insert per event",
                string.Create(CultureInfo.InvariantCulture, $"{p.Median:0} events/s"),
                string.Create(CultureInfo.InvariantCulture, $"{b.Median:0} events/s one in flight; {c.Median:0} events/s {options.Connections} in flight"),
                Markdown.Ratio(ratio) + string.Create(CultureInfo.InvariantCulture, $" ({Markdown.Ratio(p.Median / c.Median)} of {options.Connections} in flight)"), ratio >= 10),
        ];
        return new Section(rows, text.ToString());
    }

    private static Section Pending(string why)
    {
        Console.WriteLine("  row 7 pending: " + why);
        SummaryRow[] rows = [new(7, "analytics: events/s from `hello` to the table through the sink, store behind an injected latency", "≥ 10× one insert per event", "pending", "pending", "n/a", null)];
        return new Section(rows, "## Row 7: analytics events/s into the table\n\nPending: " + why + "\n\n");
    }

    private async Task<double> PipelineAsync(string sink, string connection, TableServiceClient service, List<string> notes)
    {
        var sinkVariant = new AppVariant("analytics", "dotnet", [sink], new Dictionary<string, string>
        {
            [SettingNames.ToEnvironmentVariable(SettingNames.FunctionName)] = "analytics",
            [SettingNames.ToEnvironmentVariable(SettingNames.FunctionKey)] = SinkKey,
            [SettingNames.ToEnvironmentVariable(SettingNames.StorageConnectionString)] = connection,
        });
        await using var sinkApp = AppProcess.Start(sinkVariant);
        await sinkApp.WaitForFirstOkAsync(TimeSpan.FromSeconds(60), Routes.Readiness);
        // The shipped hello, Native AOT where run.sh published it.
        var helloVariant = AppVariant.HelloNativeAot(options, "hello AOT", sinkApp.Url, SinkKey)
            ?? AppVariant.Hello(options, "hello", sinkApp.Url, SinkKey);
        await using var helloApp = AppProcess.Start(helloVariant);
        await helloApp.WaitForFirstOkAsync(TimeSpan.FromSeconds(60), Routes.Readiness);

        var table = service.GetTableClient(StorageNames.AnalyticsTable);
        var before = await CountAsync(table);
        var started = Stopwatch.GetTimestamp();
        var load = await wrk.RunAsync(helloApp.Url, options.AnalyticsDuration, options.Connections, helloApp.WrkHeader);
        var (landed, lastLanding) = await WaitForFlushAsync(table, before);
        var seconds = Stopwatch.GetElapsedTime(started, lastLanding).TotalSeconds;
        notes.Add(string.Create(CultureInfo.InvariantCulture, $"pipeline run: `hello` served {load.Requests} requests ({load.RequestsPerSecond:0}/s, {load.Errors} errors); {landed} events landed in {seconds:0.0} s ({100.0 * landed / Math.Max(1, load.Requests):0.0} % of requests; the rest were dropped by the client's bounded buffer, counted in `edgestack.analytics.dropped`)."));
        return landed / seconds;
    }

    private async Task<double> BaselineAsync(TableServiceClient service, int concurrency)
    {
        var table = service.GetTableClient(BaselineTable);
        long inserted = 0;
        var started = Stopwatch.GetTimestamp();
        using var stop = new CancellationTokenSource(options.AnalyticsDuration);
        await Parallel.ForAsync(0, concurrency, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (worker, _) =>
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

    private static string ConnectionString(int[] ports, int tablePort) => string.Create(
        CultureInfo.InvariantCulture,
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevAccountKey};BlobEndpoint=http://127.0.0.1:{ports[0]}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{ports[1]}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{tablePort}/devstoreaccount1;");

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
