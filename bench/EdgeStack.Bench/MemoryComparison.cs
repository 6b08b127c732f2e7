using System.Globalization;
using System.Text;

namespace EdgeStack.Bench;

/// <summary>Row 5: resident memory (VmRSS) after 1000 requests and a short idle, with the GC settings a small container would use.</summary>
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
        AppVariant?[] candidates =
        [
            AppVariant.Dotnet(options, "bare", "bare"),
            AppVariant.Dotnet(options, "runtime", "runtime"),
            AppVariant.Dotnet(options, "bare, container GC", "bare", environment: ContainerGc),
            AppVariant.Dotnet(options, "runtime, container GC", "runtime", environment: ContainerGc),
            AppVariant.Dotnet(options, "runtime R2R, container GC", "runtime", "r2r", ContainerGc),
            AppVariant.NativeAot(options, "bare AOT", "bare"),
            AppVariant.NativeAot(options, "runtime AOT", "runtime"),
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
                await Parallel.ForAsync(0, Requests, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (_, ct) =>
                {
                    using var response = await http.GetAsync(app.Url, ct);
                    response.EnsureSuccessStatusCode();
                });
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
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"VmRSS from `/proc/PID/status` after {Requests} requests to `GET /` ({Concurrency} at a time) and {(options.Quick ? 2 : 5)} s idle; {options.MemoryRuns} runs each. MB = 2^20 bytes. Default GC on this 2-core machine is the Web SDK's Server GC (with DATAS). `container GC` is what the function images set: `DOTNET_gcServer=0` (workstation GC: one heap, no per-core heaps) and `DOTNET_GCConserveMemory=5`."));
        text.AppendLine();
        text.Append(Markdown.Table(
            ["variant", "RSS MB, median (min–max)", "vs bare (default GC)"],
            variants.Select(v => (IReadOnlyList<string>)[$"`{v.Name}`", stats[v.Name].Format("0.0"), Markdown.Ratio(stats[v.Name].Median / stats["bare"].Median)])));
        text.AppendLine();

        // The verdict is for what the functions ship today (JIT, default GC); AOT is shown beside it.
        var runtime = stats["runtime"].Median;
        var aot = stats.TryGetValue("runtime AOT", out var a) ? string.Create(CultureInfo.InvariantCulture, $", {a.Median:0.0} MB Native AOT") : string.Empty;
        SummaryRow[] rows =
        [
            new(5, "idle RSS after 1000 requests", "≤ 60 MB",
                string.Create(CultureInfo.InvariantCulture, $"runtime {runtime:0.0} MB (JIT, as shipped), {stats["runtime, container GC"].Median:0.0} MB (container GC){aot}"),
                string.Create(CultureInfo.InvariantCulture, $"bare {stats["bare"].Median:0.0} MB / {stats["bare, container GC"].Median:0.0} MB"),
                Markdown.Ratio(runtime / stats["bare"].Median) + " of bare (same GC)",
                runtime <= 60),
        ];
        return new Section(rows, text.ToString());
    }
}
