using System.Globalization;
using System.Text;

namespace EdgeStack.Bench;

/// <summary>
/// Row 3's memory side: bytes of managed heap and RSS one pending 2 s-style background task holds, tracked by
/// <c>WaitUntil</c> or untracked by <c>Task.Run</c>, with <see cref="Count"/> pending at once (the bench app's <c>/pending</c>).
/// </summary>
internal sealed class PendingMemoryComparison(BenchOptions options)
{
    public const int Count = 100_000;

    /// <summary>What one way of running the tasks held per task: managed heap and RSS, in bytes.</summary>
    public sealed record Result(Stats Heap, Stats Rss);

    public async Task<(Result Tracked, Result Untracked, string Markdown)> RunAsync()
    {
        // Both in the runtime's process, each in a fresh one: only the way the tasks are started differs.
        var variant = AppVariant.Dotnet(options, "pending", "runtime", environment: MemoryComparison.ContainerGc);
        var heap = new Dictionary<string, List<double>> { ["waituntil"] = [], ["taskrun"] = [] };
        var rss = new Dictionary<string, List<double>> { ["waituntil"] = [], ["taskrun"] = [] };
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        for (var run = 0; run < options.MemoryRuns; run++)
        {
            foreach (var how in new[] { "waituntil", "taskrun" })
            {
                await using var app = AppProcess.Start(variant);
                await app.WaitForFirstOkAsync(TimeSpan.FromSeconds(30));
                var answer = await http.GetStringAsync(new Uri(app.Url, string.Create(CultureInfo.InvariantCulture, $"/pending?count={Count}&how={how}")));
                var parts = answer.Split(' ');
                heap[how].Add(double.Parse(parts[1], CultureInfo.InvariantCulture));
                rss[how].Add(double.Parse(parts[3], CultureInfo.InvariantCulture));
                Console.WriteLine($"  {how,-10} {answer} (bytes per pending task)");
            }
        }

        var tracked = new Result(Stats.Of(heap["waituntil"]), Stats.Of(rss["waituntil"]));
        var untracked = new Result(Stats.Of(heap["taskrun"]), Stats.Of(rss["taskrun"]));
        var text = new StringBuilder();
        text.AppendLine("### Row 3: bytes per pending task");
        text.AppendLine();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"A dedicated measurement, not under load: the `runtime` app (container GC) starts {Count:N0} tasks that each wait 5 s, tracked (`EdgeRuntime.WaitUntil(ct => Task.Delay(5000, ct))`) or untracked (`Task.Run(() => Task.Delay(5000))`), waits for the thread pool to have run every one, and reads the managed heap after a full compacting GC (`GC.GetTotalMemory`) and the RSS (`Environment.WorkingSet`) before and after; bytes per task = the difference ÷ {Count:N0}. {options.MemoryRuns} runs each, each in a fresh process."));
        text.AppendLine();
        text.Append(Markdown.Table(
            ["how", "managed heap B per pending task", "RSS B per pending task"],
            [
                ["`WaitUntil(Func)` (tracked)", tracked.Heap.Format("0"), tracked.Rss.Format("0")],
                ["`Task.Run` (untracked)", untracked.Heap.Format("0"), untracked.Rss.Format("0")],
                ["tracking's own share (difference of medians)", Markdown.Number(tracked.Heap.Median - untracked.Heap.Median, "0"), Markdown.Number(tracked.Rss.Median - untracked.Rss.Median, "0")],
            ]));
        text.AppendLine();
        return (tracked, untracked, text.ToString());
    }
}
