using System.Globalization;
using System.Text;

namespace EdgeStack.Bench;

/// <summary>Row 4: process spawn to the first 200 on <c>GET /</c>, polled every 2 ms: the shipped <c>hello</c> (Native AOT and JIT), bare Kestrel and Node's http server.</summary>
internal sealed class ColdStartComparison(BenchOptions options, Charts charts)
{
    public async Task<Section> RunAsync()
    {
        // The JIT experiments of issue 5 (ReadyToRun, TieredPGO off, the slim builder) changed nothing and are in the
        // findings; what is left is Node, the shipped function in both build modes and bare Kestrel in both.
        AppVariant?[] candidates =
        [
            AppVariant.Node(options),
            AppVariant.Dotnet(options, "bare", "bare"),
            AppVariant.Hello(options, "hello"),
            AppVariant.NativeAot(options, "bare AOT", "bare"),
            AppVariant.NativeAot(options, "runtime AOT", "runtime"),
            AppVariant.HelloNativeAot(options, "hello AOT"),
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
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"From just before the process is spawned to the first `200` on `GET /`, polling with a fresh connection every 2 ms; {options.ColdStartRuns} runs each, interleaved, after one unmeasured start of each (warm page cache). `hello` is the shipped function (key check on, the poll sends the key; analytics off: its first 200 does not wait for a send), `bare` and `runtime` the bench app without and with the EdgeStack runtime. JIT variants start as `dotnet app.dll`; `AOT` variants are published Native AOT (`-p:PublishAot=true`) and run as their own executable, as the function images run them."));
        text.AppendLine();
        text.Append(Markdown.Table(
            ["variant", "ms, median (min–max)", "vs node", "vs bare, same build mode"],
            variants.Select(v => (IReadOnlyList<string>)
            [
                $"`{v.Name}`",
                stats[v.Name].Format("0.0"),
                Markdown.Ratio(stats[v.Name].Median / node),
                Markdown.Ratio(stats[v.Name].Median / stats[v.Name.EndsWith(" AOT", StringComparison.Ordinal) && stats.ContainsKey("bare AOT") ? "bare AOT" : "bare"].Median),
            ])));
        text.AppendLine();
        text.AppendLine($"![cold start]({chart})");
        text.AppendLine();

        // The verdict is for the shipped function published Native AOT; without that build, the runtime's AOT app stands in (and the row says so).
        var measured = stats.ContainsKey("hello AOT") ? "hello AOT" : stats.ContainsKey("runtime AOT") ? "runtime AOT" : "hello";
        var ratio = stats[measured].Median / node;
        var note = measured == "hello AOT" ? string.Empty : " (hello not published Native AOT; stand-in)";
        SummaryRow[] rows =
        [
            new(4, "cold start: spawn → first 200", "≤ 0.6× Node",
                string.Create(CultureInfo.InvariantCulture, $"`{measured}` {stats[measured].Median:0.0} ms{note}; `hello` JIT {stats["hello"].Median:0.0} ms"),
                string.Create(CultureInfo.InvariantCulture, $"node {node:0.0} ms"),
                Markdown.Ratio(ratio) + " of node",
                ratio <= 0.6),
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
