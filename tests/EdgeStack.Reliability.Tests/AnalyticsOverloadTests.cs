using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EdgeStack.Contracts;
using EdgeStack.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Xunit.Abstractions;

namespace EdgeStack.Reliability.Tests;

/// <summary>Scenario 7: hello tracks events far faster than a slow sink takes them.</summary>
[Collection(ReliabilityCollection.Name)]
[Trait("Category", "Reliability")]
public sealed class AnalyticsOverloadTests(ReliabilityStack stack, ITestOutputHelper output) : IClassFixture<ReliabilityStack>
{
    // The sink takes at most 40 events/s and the buffer holds 100: any load above ~60 requests/s for the 6 s of the short
    // form overflows it, which 6 senders reach on a loaded 2-core machine many times over.
    private const int Capacity = 100;
    private const int BatchSize = 20;
    private const int SinkDelayMilliseconds = 500;

    // Timestamps are taken before concurrent requests write to the buffer, so neighbours may swap by a preempted thread's
    // slice on a loaded machine. Under overload consecutive delivered batches were tracked about a sink period apart, so
    // the tolerance stays half of it: two batches delivered the wrong way round are still counted.
    private static readonly TimeSpan s_reorderTolerance = TimeSpan.FromMilliseconds(SinkDelayMilliseconds / 2);
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Hello_EventsFasterThanTheSink_MemoryStaysBoundedAndEveryDropIsReported()
    {
        var duration = TimeSpan.FromSeconds(ReliabilityRun.Pick(6, 30));
        var clock = Stopwatch.StartNew();

        // The slow sink: takes one batch at a time, SinkDelayMilliseconds each, and records the order events arrive in.
        var received = new ConcurrentQueue<DateTimeOffset>();
        using var sinkGate = new SemaphoreSlim(1, 1);
        var sinkPort = FunctionProcess.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{sinkPort}");
        await using var sink = builder.Build();
        sink.MapPost("/events", async (HttpRequest request) =>
        {
            using var document = await JsonDocument.ParseAsync(request.Body);
            await sinkGate.WaitAsync();
            try
            {
                await Task.Delay(SinkDelayMilliseconds);
                foreach (var item in document.RootElement.EnumerateArray())
                {
                    received.Enqueue(item.GetProperty("timestamp").GetDateTimeOffset());
                }
            }
            finally
            {
                sinkGate.Release();
            }

            return Results.Ok();
        });
        await sink.StartAsync();

        await using var hello = await stack.StartAsync(ReliabilityStack.Hello, new Dictionary<string, string>(stack.HelloSettings(new Uri($"http://127.0.0.1:{sinkPort}")))
        {
            ["Analytics:Capacity"] = Capacity.ToString(CultureInfo.InvariantCulture),
            ["Analytics:MaxBatchSize"] = BatchSize.ToString(CultureInfo.InvariantCulture),
            ["Analytics:LingerMilliseconds"] = "50",
            ["Analytics:DropLogIntervalSeconds"] = "1",
            [SettingNames.TerminationGracePeriodSeconds] = "30",
        });
        using var client = LoadLoop.CreateClient(hello.BaseAddress);
        var load = new LoadLoop();
        var rss = new List<(double At, long Bytes)>();
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(6, int.MaxValue, duration, (_, ct) =>
            LoadLoop.SendAsync(client, "hello", "", HttpMethod.Get, "/", stack.KeyOf(ReliabilityStack.Hello), null, b => b == "Hello World", ct), stop.Token);
        var loadClock = Stopwatch.StartNew();
        while (!running.IsCompleted)
        {
            rss.Add((loadClock.Elapsed.TotalSeconds, ResidentBytes(hello.Id)));
            await Task.WhenAny(running, Task.Delay(250));
        }

        await running;
        var loadSeconds = loadClock.Elapsed.TotalSeconds;

        // SIGTERM: what is buffered drains to the sink (or is reported dropped) before the exit.
        hello.Signal(FunctionProcess.SigTerm);
        var exitCode = await hello.WaitForExitAsync(s_timeout);
        await sink.StopAsync();

        var results = load.Results;
        var accepted = results.Count(r => r.Accepted);
        var dropLogs = hello.Logs.Where(l => Events.AnalyticsEventsDropped.Matches(l)).ToList();
        var dropped = LogState.Sum(hello.Logs, Events.AnalyticsEventsDropped, "DroppedEvents") + LogState.Sum(hello.Logs, Events.AnalyticsSendFailed, "EventCount");
        var delivered = received.Count;
        var order = received.ToArray();
        var outOfOrder = order.Zip(order.Skip(1)).Count(p => p.Second < p.First - s_reorderTolerance);
        var latencies = results.Where(r => r.Accepted).Select(r => r.Elapsed.TotalMilliseconds).Order().ToList();
        var p99 = latencies.Count == 0 ? 0 : latencies[(int)(latencies.Count * 0.99)];
        var half = rss.Count / 2;
        var firstHalfPeak = rss.Take(Math.Max(1, half)).Max(r => r.Bytes);
        var secondHalfPeak = rss.Skip(half).Max(r => r.Bytes);
        var peak = rss.Max(r => r.Bytes);
        var maxDropLogs = (int)Math.Ceiling(clock.Elapsed.TotalSeconds) + 2;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"accepted {accepted}, delivered {delivered}, reported dropped {dropped} in {dropLogs.Count} logs, out of order {outOfOrder}, p99 {p99:0.0} ms, RSS peaks {firstHalfPeak / 1048576.0:0} / {secondHalfPeak / 1048576.0:0} MiB, exit {exitCode}"));
        new ScenarioResult
        {
            Number = 7,
            Scenario = "analytics-overload",
            Title = "Analytics under overload",
            LoadHeld = $"6 concurrent senders on hello GET / for {loadSeconds:0} s: {accepted / loadSeconds:0} events/s tracked",
            FaultsInjected = $"a sink taking one batch of up to {BatchSize} per {SinkDelayMilliseconds} ms (≤ {BatchSize * 1000 / SinkDelayMilliseconds} events/s); buffer {Capacity} events; then SIGTERM",
            InputsTried = $"{results.Count} requests",
            RequestsAccepted = accepted,
            WorkLost = Math.Max(0, accepted - delivered - dropped),
            DurationSeconds = clock.Elapsed.TotalSeconds,
            Details =
            [
                ["events delivered / dropped and reported (documented policy: drop the newest)", $"{delivered} / {dropped}"],
                ["drop reports (at most one per DropLogIntervalSeconds = 1 s)", dropLogs.Count.ToString(CultureInfo.InvariantCulture)],
                [$"delivered out of order (by more than {s_reorderTolerance.TotalMilliseconds:0} ms)", outOfOrder.ToString(CultureInfo.InvariantCulture)],
                ["hello p99 latency (Track never blocks)", $"{p99:0.0} ms"],
                ["hello RSS peak, first half / second half of the load", $"{firstHalfPeak / 1048576.0:0} / {secondHalfPeak / 1048576.0:0} MiB (overall {peak / 1048576.0:0} MiB)"],
                ["exit code after SIGTERM", exitCode.ToString(CultureInfo.InvariantCulture)],
            ],
        }.Write();

        Assert.Equal(0, exitCode);
        Assert.DoesNotContain(results, r => r.ServerError || r.Truncated);
        Assert.True(dropped > 0, "the sink was not overloaded");
        Assert.Equal(accepted, delivered + dropped);
        Assert.Equal(0, outOfOrder);
        Assert.InRange(dropLogs.Count, 1, maxDropLogs);
        // Generous bounds that still catch a blocking Track or an unbounded buffer on a loaded 2-core CI machine.
        Assert.True(p99 < 2000, $"p99 {p99} ms: Track blocked requests");
        Assert.True(secondHalfPeak <= firstHalfPeak + (96L << 20), $"RSS grew from {firstHalfPeak} to {secondHalfPeak} bytes under steady overload");
    }

    private static long ResidentBytes(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
