using System.Globalization;
using System.Text;

namespace EdgeStack.Bench;

/// <summary>Rows 1–3: requests/s and latency of the runtime variants against the bare minimal API, alternating in rounds.</summary>
internal sealed class LoadComparison(BenchOptions options, Wrk wrk, Charts charts)
{
    public async Task<Section> RunAsync()
    {
        // Row 1 compares like with like: the shipped hello and bare Kestrel in the same build mode, Native AOT as the
        // functions ship where run.sh could publish both; otherwise both JIT.
        var helloAot = AppVariant.HelloNativeAot(options, "hello AOT");
        var bareAot = AppVariant.NativeAot(options, "bare AOT", "bare");
        var aot = helloAot is not null && bareAot is not null;
        var hello = aot ? helloAot! : AppVariant.Hello(options, "hello");
        var helloBaseline = aot ? bareAot!.Name : "bare";
        List<AppVariant> variants =
        [
            AppVariant.Dotnet(options, "bare", "bare"),
            AppVariant.Dotnet(options, "noop", "noop"),
            AppVariant.Dotnet(options, "delay", "delay"),
            AppVariant.Dotnet(options, "taskrun", "taskrun"),
            AppVariant.Dotnet(options, "taskrun-delay", "taskrun-delay"),
            hello,
        ];
        if (aot)
        {
            variants.Add(bareAot!);
        }

        var results = variants.ToDictionary(v => v.Name, _ => new List<WrkResult>());
        for (var round = 0; round < options.LoadRounds; round++)
        {
            // Rotate the order each round so no variant always runs first (or right after the 2 s tasks drain).
            for (var i = 0; i < variants.Count; i++)
            {
                var variant = variants[(i + round) % variants.Count];
                await using var app = AppProcess.Start(variant);
                await app.WaitForFirstOkAsync(TimeSpan.FromSeconds(30));
                await wrk.RunAsync(app.Url, options.Warmup, options.Connections, app.WrkHeader);
                var result = await wrk.RunAsync(app.Url, options.LoadDuration, options.Connections, app.WrkHeader);
                results[variant.Name].Add(result);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  round {round + 1} {variant.Name,-13} {result.RequestsPerSecond,10:0} req/s  p50 {result.P50:0.000} ms  p99 {result.P99:0.000} ms  errors {result.Errors}"));
            }
        }

        var rps = results.ToDictionary(r => r.Key, r => Stats.Of(r.Value.Select(x => x.RequestsPerSecond)));
        var p50 = results.ToDictionary(r => r.Key, r => Stats.Of(r.Value.Select(x => x.P50)));
        var p99 = results.ToDictionary(r => r.Key, r => Stats.Of(r.Value.Select(x => x.P99)));

        // Paired ratios: each round's candidate against the same round's baseline.
        Stats Paired(string candidate, string baseline, Func<WrkResult, double> metric) =>
            Stats.Of(results[candidate].Zip(results[baseline], (c, b) => metric(c) / metric(b)));

        var helloRatio = Paired(hello.Name, helloBaseline, r => r.RequestsPerSecond);
        var noop = rps["noop"].Median / rps["bare"].Median;
        var tracking = Paired("delay", "taskrun-delay", r => r.P99);
        var (tracked, untracked, pendingMarkdown) = await new PendingMemoryComparison(options).RunAsync();

        var latencyChart = charts.LatencyDistribution(
            "latency-rows-1-3.png",
            "Latency distribution under wrk -t2 -c64 (median of rounds)",
            results.ToDictionary(r => r.Key, r => (IReadOnlyDictionary<double, double>)MedianCurve(r.Value)));

        var text = new StringBuilder();
        text.AppendLine("## Rows 1–3: throughput and latency under load");
        text.AppendLine();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"wrk `-t2 -c{options.Connections} -d{options.LoadDuration.TotalSeconds}s --latency` against `GET /` after a {options.Warmup.TotalSeconds} s warm-up, each variant in a fresh process, {options.LoadRounds} rounds in rotating order; the table gives the median and (min–max) over the rounds. wrk and the server share the machine's cores."));
        text.AppendLine();
        text.AppendLine("- `bare`: `WebApplication.CreateBuilder` + one `MapGet(\"/\", () => \"Hello World\")`, no runtime (`dotnet app.dll`, JIT).");
        text.AppendLine(aot
            ? "- `hello AOT`: the shipped `hello` function published Native AOT (`dotnet publish -c Release -r linux-x64 -p:PublishAot=true`), key check on (wrk sends the key), analytics off (no sink configured, so `Track` returns at once); `bare AOT`: `bare` published Native AOT, its baseline in the same build mode."
            : "- `hello`: the shipped `hello` function (`dotnet hello.dll`, JIT: run.sh could not publish it Native AOT), key check on (wrk sends the key), analytics off (no sink configured); its baseline is `bare`, the same build mode.");
        text.AppendLine("- `noop`: `runtime` plus `EdgeRuntime.WaitUntil(_ => Task.CompletedTask)` per request (a real task started on the thread pool and tracked).");
        text.AppendLine("- `delay`: `runtime` plus `EdgeRuntime.WaitUntil(ct => Task.Delay(2000, ct))` per request.");
        text.AppendLine("- `taskrun`, `taskrun-delay` (the baselines of rows 2 and 3): `bare` plus an untracked `_ = Task.Run(() => { })` / `_ = Task.Run(() => Task.Delay(2000))` per request — the same background work with no runtime.");
        text.AppendLine();
        text.Append(Markdown.Table(
            ["variant", "requests/s", "p50 ms", "p99 ms", "req/s vs its baseline (paired rounds)", "errors"],
            variants.Select(v => (IReadOnlyList<string>)
            [
                $"`{v.Name}`",
                rps[v.Name].Format("0"),
                p50[v.Name].Format("0.000"),
                p99[v.Name].Format("0.000"),
                BaselineOf(v.Name) is { } baseline ? $"{Percent(Paired(v.Name, baseline, r => r.RequestsPerSecond))} of `{baseline}`" : "baseline",
                results[v.Name].Sum(r => r.Errors).ToString(CultureInfo.InvariantCulture),
            ])));
        text.AppendLine();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Pending background tasks in `delay`: about {rps["delay"].Median * 2:0} at any moment (2 s × its request rate)."));
        text.AppendLine();
        text.AppendLine($"![latency distribution]({latencyChart})");
        text.AppendLine();
        text.Append(pendingMarkdown);

        var trackedBytes = tracked.Heap.Median - untracked.Heap.Median;
        SummaryRow[] rows =
        [
            new(1, $"`{hello.Name}` (no analytics): req/s, p50/p99", "≥ 95 % of bare req/s, same build mode",
                string.Create(CultureInfo.InvariantCulture, $"{rps[hello.Name].Median:0} req/s, p50 {p50[hello.Name].Median:0.000} ms, p99 {p99[hello.Name].Median:0.000} ms"),
                string.Create(CultureInfo.InvariantCulture, $"`{helloBaseline}` {rps[helloBaseline].Median:0} req/s, p50 {p50[helloBaseline].Median:0.000} ms, p99 {p99[helloBaseline].Median:0.000} ms"),
                $"{Markdown.Percent(helloRatio.Median)} (paired)", helloRatio.Median >= 0.95),
            new(2, "one `WaitUntil` of a no-op task per request", "≥ 85 % of bare req/s",
                string.Create(CultureInfo.InvariantCulture, $"{rps["noop"].Median:0} req/s, p99 {p99["noop"].Median:0.000} ms"),
                string.Create(CultureInfo.InvariantCulture, $"bare {rps["bare"].Median:0} req/s"),
                Markdown.Percent(noop), noop >= 0.85),
            new(3, "one `WaitUntil` of a 2 s delay per request: tracking's own cost", "p99 ≤ 1.1× the untracked `Task.Run` of the same work; bytes per pending task reported",
                string.Create(CultureInfo.InvariantCulture, $"p99 {p99["delay"].Median:0.000} ms, {rps["delay"].Median:0} req/s, ~{rps["delay"].Median * 2:0} pending; {tracked.Heap.Median:0} B heap per pending task at {PendingMemoryComparison.Count / 1000}k"),
                string.Create(CultureInfo.InvariantCulture, $"`taskrun-delay` p99 {p99["taskrun-delay"].Median:0.000} ms; {untracked.Heap.Median:0} B per pending task"),
                string.Create(CultureInfo.InvariantCulture, $"{Markdown.Ratio(tracking.Median)} p99 (paired); tracking +{trackedBytes:0} B/task"), tracking.Median <= 1.1),
        ];
        return new Section(rows, text.ToString());

        static string Percent(Stats s) => $"{Markdown.Percent(s.Median)} ({Markdown.Percent(s.Min)}–{Markdown.Percent(s.Max)})";
    }

    private static string? BaselineOf(string variant) => variant switch
    {
        "bare" or "bare AOT" => null,
        "delay" => "taskrun-delay",
        "hello AOT" => "bare AOT",
        _ => "bare",
    };

    private static Dictionary<double, double> MedianCurve(List<WrkResult> runs) =>
        runs[0].LatencyMs.Keys.ToDictionary(p => p, p => Stats.Of(runs.Select(r => r.LatencyMs[p])).Median);
}
