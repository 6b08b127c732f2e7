using System.Diagnostics;
using System.Globalization;
using EdgeStack.Contracts;
using EdgeStack.Testing;
using Xunit.Abstractions;

namespace EdgeStack.Reliability.Tests;

/// <summary>Scenario 5: an app that leaks under a small heap limit retires through BeforeUnload(memory) and drains.</summary>
[Collection(ReliabilityCollection.Name)]
[Trait("Category", "Reliability")]
public sealed class MemoryPressureTests(ITestOutputHelper output)
{
    private const int HeapLimitMb = 256;

    // Each leaking sender sends at most one request per 10 ms: up to 200 MiB/s of leak. Unpaced on this machine (about
    // 265 MiB/s), the GC itself threw OutOfMemoryException below the warning level, before any check could see the heap.
    private const string WarningRatio = "0.7";
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task LeakingApp_SmallHeapLimit_RetiresThroughBeforeUnloadMemoryAndDrains()
    {
        var repetitions = ReliabilityRun.Pick(1, 3);
        var clock = Stopwatch.StartNew();
        var failures = new List<string>();
        var results = new List<LoadResult>();
        var leakedMb = new List<int>();
        var exitAfter = new List<double>();
        var tasksScheduled = 0;
        var tasksDone = 0;
        for (var rep = 0; rep < repetitions; rep++)
        {
            await using var app = await FunctionProcess.StartAsync(
                TestPaths.AppAssembly("EdgeStack.Runtime.TestApp"),
                new Dictionary<string, string?>
                {
                    ["DOTNET_GCHeapHardLimit"] = "0x" + (HeapLimitMb * 1024L * 1024).ToString("X", CultureInfo.InvariantCulture),
                    [SettingNames.ToEnvironmentVariable(SettingNames.MemoryWarningRatio)] = WarningRatio,
                    [SettingNames.ToEnvironmentVariable(SettingNames.LimitCheckIntervalSeconds)] = "0.5",
                    [SettingNames.ToEnvironmentVariable(SettingNames.TerminationGracePeriodSeconds)] = "10",
                });
            using var client = LoadLoop.CreateClient(app.BaseAddress);
            var load = new LoadLoop();
            using var stop = new CancellationTokenSource();

            // Two senders leak 1 MiB a request; a third keeps one-second background tasks in flight.
            var running = load.RunAsync(3, int.MaxValue, s_timeout, (i, ct) => i % 3 == 2
                ? LoadLoop.SendAsync(client, "background", "bg-" + i.ToString(CultureInfo.InvariantCulture), HttpMethod.Post, $"/background?ms=1000&name=bg-{i}", null, "", _ => true, ct)
                : LoadLoop.SendAsync(client, "allocate", "", HttpMethod.Post, "/allocate?mb=1", null, "", b => b.Contains("retainedMb", StringComparison.Ordinal), ct), stop.Token, TimeSpan.FromMilliseconds(10));
            await app.WaitForLineAsync(l => l.StartsWith("BEFOREUNLOAD", StringComparison.Ordinal), s_timeout);
            var retired = Stopwatch.StartNew();
            var exitCode = await app.WaitForExitAsync(s_timeout);
            exitAfter.Add(retired.Elapsed.TotalSeconds);
            await stop.CancelAsync();
            await running;

            var repResults = load.Results;
            results.AddRange(repResults);
            var beforeUnload = app.Output.Where(l => l.StartsWith("BEFOREUNLOAD", StringComparison.Ordinal)).ToList();
            var scheduled = repResults.Where(r => r.Accepted && r.Target == "background").Select(r => r.Id).ToList();
            var done = scheduled.Count(id => app.Output.Contains("TASK-DONE " + id));
            tasksScheduled += scheduled.Count;
            tasksDone += done;
            leakedMb.Add(repResults.Count(r => r.Accepted && r.Target == "allocate"));
            output.WriteLine($"rep {rep}: {beforeUnload.FirstOrDefault()}; exit {exitCode} after {retired.Elapsed.TotalSeconds:0.00} s; leaked {leakedMb[^1]} MiB; background {done}/{scheduled.Count} done");
            if (exitCode != 0)
            {
                failures.Add($"rep {rep}: exit code {exitCode}");
            }

            if (beforeUnload.Count != 1 || !beforeUnload[0].StartsWith("BEFOREUNLOAD reason=memory", StringComparison.Ordinal))
            {
                failures.Add($"rep {rep}: BeforeUnload {string.Join(" | ", beforeUnload)}");
            }

            if (app.Output.Any(l => l.Contains("OutOfMemory", StringComparison.Ordinal)))
            {
                foreach (var line in app.Output.Where(l => l.Contains("OutOfMemory", StringComparison.Ordinal) || l.Contains("BEFOREUNLOAD", StringComparison.Ordinal) || l.Contains("\"EventId\":8,", StringComparison.Ordinal)).Take(4))
                {
                    output.WriteLine(line[..Math.Min(line.Length, 300)]);
                }

                failures.Add($"rep {rep}: OutOfMemoryException in the output");
            }

            if (done != scheduled.Count)
            {
                failures.Add($"rep {rep}: {scheduled.Count - done} background tasks did not finish in the drain");
            }
        }

        new ScenarioResult
        {
            Number = 5,
            Scenario = "memory-pressure",
            Title = "Memory pressure",
            LoadHeld = "2 senders leaking 1 MiB per request (kept forever), each at most 100 requests/s, + 1 sender scheduling 1 s background tasks",
            FaultsInjected = $"{repetitions} × a leak under DOTNET_GCHeapHardLimit={HeapLimitMb} MiB, MemoryWarningRatio {WarningRatio}",
            InputsTried = $"{results.Count} requests",
            RequestsAccepted = results.Count(r => r.Accepted),
            WorkLost = tasksScheduled - tasksDone,
            DurationSeconds = clock.Elapsed.TotalSeconds,
            Details =
            [
                ["leaked per instance, until its listener closed", string.Join(", ", leakedMb.Select(m => m + " MiB"))],
                ["BeforeUnload(memory) once, exit code 0, no OutOfMemoryException", failures.Count == 0 ? "every instance" : string.Join("; ", failures)],
                ["exit after BeforeUnload", string.Join(", ", exitAfter.Select(t => t.ToString("0.00", CultureInfo.InvariantCulture) + " s"))],
                ["background tasks drained", $"{tasksDone} of {tasksScheduled}"],
                ["5xx", results.Count(r => r.ServerError).ToString(CultureInfo.InvariantCulture)],
            ],
        }.Write();

        Assert.Empty(failures);
        Assert.DoesNotContain(results, r => r.ServerError);
    }
}
