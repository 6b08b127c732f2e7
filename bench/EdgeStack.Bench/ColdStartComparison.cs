using System.Globalization;
using System.Text;

namespace EdgeStack.Bench;

/// <summary>Row 4: process spawn to the first 200 on <c>GET /</c>, polled every 2 ms, for the .NET variants and Node's http server.</summary>
internal sealed class ColdStartComparison(BenchOptions options, Charts charts)
{
    public async Task<Section> RunAsync()
    {
        AppVariant?[] candidates =
        [
            AppVariant.Node(options),
            AppVariant.Dotnet(options, "bare", "bare"),
            AppVariant.Dotnet(options, "runtime", "runtime"),
            AppVariant.Dotnet(options, "bare R2R", "bare", "r2r"),
            AppVariant.Dotnet(options, "runtime R2R", "runtime", "r2r"),
            AppVariant.Dotnet(options, "runtime R2R + TieredPGO off", "runtime", "r2r", new Dictionary<string, string> { ["DOTNET_TieredPGO"] = "0" }),
            AppVariant.Dotnet(options, "runtime R2R slim builder", "runtime", "r2r", new Dictionary<string, string> { ["BENCH_BUILDER"] = "slim" }),
            AppVariant.NativeAot(options, "bare AOT", "bare"),
            AppVariant.NativeAot(options, "runtime AOT", "runtime"),
        ];
        var variants = candidates.OfType<AppVariant>().ToArray();
        var times = variants.ToDictionary(v => v.Name, _ => new List<double>());

        // One unmeasured start of each warms the page cache, as a container image's layers are on a node.
        foreach (var variant in variants)
        {
            await StartOnceAsync(variant);
        }

        for (var run = 0; run < options.ColdStartRuns; run++)
        {
            foreach (var variant in variants)
            {
                times[variant.Name].Add(await StartOnceAsync(variant));
            }
        }

        foreach (var (name, values) in times)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-28} {Stats.Of(values).Format("0.0")} ms"));
        }

        var stats = times.ToDictionary(t => t.Key, t => Stats.Of(t.Value));
        var node = stats["node http"].Median;
        var chart = charts.Runs("cold-start.png", "Process start → first 200 (each run a dot)", "ms", [.. variants.Select(v => (v.Name, (IReadOnlyList<double>)times[v.Name]))]);

        var text = new StringBuilder();
        text.AppendLine("## Row 4: cold start");
        text.AppendLine();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"From just before the process is spawned to the first `200` on `GET /`, polling with a fresh connection every 2 ms; {options.ColdStartRuns} runs each, interleaved, after one unmeasured start of each (warm page cache). The .NET apps start as containers start them, `dotnet app.dll`. `R2R` is the same app published with `PublishReadyToRun` (set in its project file). `AOT` is the same app published with Native AOT (`PublishAot`), run as its own executable — see the findings for what the runtime needs before the functions can ship that way."));
        text.AppendLine();
        text.Append(Markdown.Table(
            ["variant", "ms, median (min–max)", "vs node", "vs bare"],
            variants.Select(v => (IReadOnlyList<string>)
            [
                $"`{v.Name}`",
                stats[v.Name].Format("0.0"),
                Markdown.Ratio(stats[v.Name].Median / node),
                Markdown.Ratio(stats[v.Name].Median / stats["bare"].Median),
            ])));
        text.AppendLine();
        text.AppendLine($"![cold start]({chart})");
        text.AppendLine();

        // The verdict is for what the functions ship today (JIT); the best variant says what Native AOT would give.
        var best = variants.Where(v => v.Name.StartsWith("runtime", StringComparison.Ordinal)).MinBy(v => stats[v.Name].Median)!;
        var runtime = stats["runtime"].Median;
        SummaryRow[] rows =
        [
            new(4, "cold start: spawn → first 200", "no slower than Node",
                string.Create(CultureInfo.InvariantCulture, $"runtime {runtime:0.0} ms (JIT, as shipped); `{best.Name}` {stats[best.Name].Median:0.0} ms"),
                string.Create(CultureInfo.InvariantCulture, $"node {node:0.0} ms; bare {stats["bare"].Median:0.0} ms"),
                string.Create(CultureInfo.InvariantCulture, $"{Markdown.Ratio(runtime / node)} of node; `{best.Name}` {Markdown.Ratio(stats[best.Name].Median / node)}"),
                runtime <= node),
        ];
        return new Section(rows, text.ToString());
    }

    private static async Task<double> StartOnceAsync(AppVariant variant)
    {
        await using var app = AppProcess.Start(variant);
        var elapsed = await app.WaitForFirstOkAsync(TimeSpan.FromSeconds(30));
        return elapsed.TotalMilliseconds;
    }
}
