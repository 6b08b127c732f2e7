using System.Globalization;
using System.Text;
using System.Text.Json;

namespace EdgeStack.Bench;

/// <summary>Row 8: runs the BenchmarkDotNet project and reads its full JSON report.</summary>
internal sealed class MicroBenchmarks(BenchOptions options)
{
    public async Task<Section> RunAsync()
    {
        var project = Path.Combine(options.RepositoryRoot, "bench", "EdgeStack.Runtime.Benchmarks");
        var artifacts = Path.Combine(options.RepositoryRoot, ".edgestack", "bench", "BenchmarkDotNet.Artifacts");
        if (Directory.Exists(artifacts))
        {
            Directory.Delete(artifacts, recursive: true);
        }

        List<string> args = ["run", "-c", "Release", "--no-build", "--project", project, "--", "--filter", "*", "--artifacts", artifacts];
        if (options.Quick)
        {
            args.AddRange(["--warmupCount", "1", "--iterationCount", "3"]);
        }

        var (output, code) = await Task.Run(() => Wrk.RunToEnd("dotnet", args, project));
        if (code != 0)
        {
            throw new InvalidOperationException($"BenchmarkDotNet exited with code {code}:\n{output}");
        }

        var report = Directory.GetFiles(Path.Combine(artifacts, "results"), "*-report-full.json").Single();
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
        var results = new Dictionary<string, (Stats Nanoseconds, double Bytes)>();
        foreach (var benchmark in json.RootElement.GetProperty("Benchmarks").EnumerateArray())
        {
            var method = benchmark.GetProperty("Method").GetString()!;
            var statistics = benchmark.GetProperty("Statistics");
            var ns = new Stats(statistics.GetProperty("Median").GetDouble(), statistics.GetProperty("Min").GetDouble(), statistics.GetProperty("Max").GetDouble(), statistics.GetProperty("N").GetInt32());
            var bytes = benchmark.GetProperty("Memory").GetProperty("BytesAllocatedPerOperation").GetDouble();
            results[method] = (ns, bytes);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {method,-24} {ns.Format("0.0")} ns  {bytes:0} B"));
        }

        var alone = results["PendingTaskAlone"];
        var pending = results["WaitUntilPendingTask"];
        var trackNs = pending.Nanoseconds.Median - alone.Nanoseconds.Median;
        var trackBytes = pending.Bytes - alone.Bytes;
        var taskRun = results["TaskRunFireAndForget"];
        var func = results["WaitUntilFunc"];

        var text = new StringBuilder();
        text.AppendLine("## Row 8: `WaitUntil` cost per task (BenchmarkDotNet)");
        text.AppendLine();
        text.AppendLine("BenchmarkDotNet (job: 3 warm-ups, 15 iterations, 1 launch; `MemoryDiagnoser`) on `IEdgeRuntime` from a real host built with `AddEdgeRuntime()` (not started; no metrics listener). Median (min–max) over the iterations.");
        text.AppendLine();
        string[] descriptions =
        [
            "PendingTaskAlone|a `TaskCompletionSource` made and completed, not tracked (subtracted below)",
            "WaitUntilPendingTask|`WaitUntil(task)` of a pending task that then completes: link, continuation, unlink, metrics",
            "WaitUntilCompletedTask|`WaitUntil(Task.CompletedTask)`: the fast path",
            "WaitUntilFunc|`WaitUntil(ct => Task.CompletedTask)`: `Task.Run` + its own `CancellationTokenSource` + tracking",
            "TaskRunFireAndForget|`Task.Run(() => { })`, nothing tracked (the baseline)",
        ];
        text.Append(Markdown.Table(
            ["benchmark", "what", "ns/op", "B/op"],
            descriptions.Select(d => d.Split('|')).Select(d => (IReadOnlyList<string>)[$"`{d[0]}`", d[1], results[d[0]].Nanoseconds.Format("0.0"), Markdown.Number(results[d[0]].Bytes, "0")])));
        text.AppendLine();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Tracking one pending task costs **{trackNs:0.0} ns and {trackBytes:0} B** (`WaitUntilPendingTask` − `PendingTaskAlone`). `WaitUntil(Func)` costs {func.Nanoseconds.Median:0} ns and {func.Bytes:0} B against {taskRun.Nanoseconds.Median:0} ns and {taskRun.Bytes:0} B for `Task.Run` fire-and-forget: both times are dominated by handing work to the thread pool on two cores while it runs the previous items (the thread pool's wake-ups), not by the tracking."));
        text.AppendLine();

        SummaryRow[] rows =
        [
            new(8, "`WaitUntil` cost per task (BenchmarkDotNet)", "≤ 1 µs and ≤ 200 B allocated",
                string.Create(CultureInfo.InvariantCulture, $"WaitUntil(Task): {trackNs:0.0} ns, {trackBytes:0} B; WaitUntil(Func): {func.Nanoseconds.Median:0} ns, {func.Bytes:0} B"),
                string.Create(CultureInfo.InvariantCulture, $"Task.Run: {taskRun.Nanoseconds.Median:0} ns, {taskRun.Bytes:0} B"),
                Markdown.Ratio(func.Nanoseconds.Median / taskRun.Nanoseconds.Median) + " (Func vs Task.Run, time)",
                trackNs <= 1000 && trackBytes <= 200),
        ];
        return new Section(rows, text.ToString());
    }
}
