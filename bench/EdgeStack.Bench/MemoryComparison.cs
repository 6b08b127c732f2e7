using System.Globalization;
using System.Text;

namespace EdgeStack.Bench;

/// <summary>Row 5: resident memory (VmRSS) after 1000 requests and a short idle: the shipped <c>hello</c> (Native AOT and JIT) against bare Kestrel.</summary>
internal sealed class MemoryComparison(BenchOptions options)
{
    private const int Requests = 1000;
    private const int Concurrency = 8;

    public static IReadOnlyDictionary<string, string> ContainerGc { get; } = new Dictionary<string, string>
    {
        ["DOTNET_gcServer"] = "0",
        ["DOTNET_GCConserveMemory"] = "5",
    };

    public async Task<Section> RunAsync()
    {
        // hello sends its analytics for real (one event per request, batched) to a stand-in sink that accepts every batch.
        await using var sink = await StandInSink.StartAsync();
        AppVariant?[] candidates =
        [
            AppVariant.Dotnet(options, "bare", "bare"),
            AppVariant.Hello(options, "hello", sink.Url, StandInSink.Key),
            AppVariant.NativeAot(options, "bare AOT", "bare"),
            AppVariant.NativeAot(options, "runtime AOT", "runtime"),
            AppVariant.HelloNativeAot(options, "hello AOT", sink.Url, StandInSink.Key),
            AppVariant.HelloNativeAot(options, "hello AOT, analytics off"),
            AppVariant.Node(options),
        ];
        var variants = candidates.OfType<AppVariant>().ToArray();
        var rss = variants.ToDictionary(v => v.Name, _ => new List<double>());
        using var http = new HttpClient();
        for (var run = 0; run < options.MemoryRuns; run++)
        {
            foreach (var variant in variants)
            {
                await using var app = AppProcess.Start(variant);
                await app.WaitForFirstOkAsync(TimeSpan.FromSeconds(30));
                await Parallel.ForAsync(0, Requests, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (_, ct) => await app.GetAsync(http, ct));
                await Task.Delay(options.Quick ? TimeSpan.FromSeconds(2) : TimeSpan.FromSeconds(5));
                rss[variant.Name].Add(app.ResidentBytes() / 1024.0 / 1024.0);
            }
        }

        var stats = rss.ToDictionary(r => r.Key, r => Stats.Of(r.Value));
        foreach (var (name, s) in stats)
        {
            Console.WriteLine($"  {name,-28} {s.Format("0.0")} MB");
        }

        var text = new StringBuilder();
        text.AppendLine("## Row 5: idle resident memory");
        text.AppendLine();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"VmRSS from `/proc/PID/status` after {Requests} requests to `GET /` ({Concurrency} at a time) and {(options.Quick ? 2 : 5)} s idle; {options.MemoryRuns} runs each. MB = 2^20 bytes. The bench app (`bare`, `runtime`) runs the Web SDK's default Server GC (with DATAS); `hello` runs what the functions set in their project (`functions/Directory.Build.props`: workstation, non-concurrent GC). `hello` sends its analytics event per request for real, batched, to an in-process stand-in sink that accepts every batch ({sink.Batches} batches accepted in this run)."));
        text.AppendLine();
        text.Append(Markdown.Table(
            ["variant", "RSS MB, median (min–max)", "vs bare (JIT)"],
            variants.Select(v => (IReadOnlyList<string>)[$"`{v.Name}`", stats[v.Name].Format("0.0"), Markdown.Ratio(stats[v.Name].Median / stats["bare"].Median)])));
        text.AppendLine();

        // The verdict is for the shipped function published Native AOT, against bare Kestrel in the same build mode.
        var measured = stats.ContainsKey("hello AOT") ? "hello AOT" : "hello";
        var baseline = stats.ContainsKey("bare AOT") && measured == "hello AOT" ? "bare AOT" : "bare";
        var note = measured == "hello AOT" ? string.Empty : " (JIT: hello not published Native AOT)";
        SummaryRow[] rows =
        [
            new(5, "idle RSS after 1000 requests", "≤ 35 MB",
                string.Create(CultureInfo.InvariantCulture, $"`{measured}` {stats[measured].Median:0.0} MB{note}; `hello` JIT {stats["hello"].Median:0.0} MB"),
                string.Create(CultureInfo.InvariantCulture, $"`{baseline}` {stats[baseline].Median:0.0} MB"),
                Markdown.Ratio(stats[measured].Median / stats[baseline].Median) + $" of `{baseline}`",
                stats[measured].Median <= 35),
        ];
        return new Section(rows, text.ToString());
    }
}
