using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace EdgeStack.Bench;

/// <summary>Row 6: SIGTERM to process exit with no background task, and with one task ending at T.</summary>
internal sealed class ShutdownComparison(BenchOptions options)
{
    private const int TaskMilliseconds = 1000;

    public async Task<Section> RunAsync()
    {
        var bare = AppVariant.Dotnet(options, "bare", "bare");
        var runtime = AppVariant.Dotnet(options, "runtime", "runtime");
        List<double> bareIdle = [], runtimeIdle = [], withTask = [];
        using var http = new HttpClient();
        for (var run = 0; run < options.ShutdownRuns; run++)
        {
            bareIdle.Add(await IdleStopAsync(bare, http));
            runtimeIdle.Add(await IdleStopAsync(runtime, http));
            withTask.Add(await StopWithTaskAsync(runtime, http));
        }

        var bareStats = Stats.Of(bareIdle);
        var idleStats = Stats.Of(runtimeIdle);
        var taskStats = Stats.Of(withTask);
        Console.WriteLine($"  bare no task      {bareStats.Format("0.0")} ms");
        Console.WriteLine($"  runtime no task   {idleStats.Format("0.0")} ms");
        Console.WriteLine($"  runtime exit − T  {taskStats.Format("0.0")} ms");

        var text = new StringBuilder();
        text.AppendLine("## Row 6: SIGTERM → exit");
        text.AppendLine();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Each app warmed with 100 requests, then `kill(pid, SIGTERM)`; the time is until the parent sees the exit (exit code 0 checked). With a task: `GET /task?ms={TaskMilliseconds}` schedules `EdgeRuntime.WaitUntil(Task.Delay({TaskMilliseconds}))` and answers at once; SIGTERM follows 100 ms after the response; T is counted from *before the request was sent*, so `exit − T` is an upper bound on the drain's overhead. {options.ShutdownRuns} runs each."));
        text.AppendLine();
        text.Append(Markdown.Table(
            ["case", "ms, median (min–max)", "target"],
            [
                ["`bare`, no task (reference)", bareStats.Format("0.0"), "—"],
                ["`runtime`, no task: SIGTERM → exit", idleStats.Format("0.0"), "≤ 100 ms"],
                [string.Create(CultureInfo.InvariantCulture, $"`runtime`, one task ending at T = {TaskMilliseconds} ms: exit − T"), taskStats.Format("0.0"), "≤ 100 ms"],
            ]));
        text.AppendLine();

        SummaryRow[] rows =
        [
            new(6, "SIGTERM → exit: no tasks; with a task ending at T", "≤ 100 ms; ≤ T + 100 ms",
                string.Create(CultureInfo.InvariantCulture, $"no tasks {idleStats.Median:0.0} ms; T + {taskStats.Median:0.0} ms (T = {TaskMilliseconds} ms)"),
                string.Create(CultureInfo.InvariantCulture, $"bare {bareStats.Median:0.0} ms (reference)"),
                Markdown.Ratio(idleStats.Median / bareStats.Median) + " of bare",
                idleStats.Median <= 100 && taskStats.Median <= 100),
        ];
        return new Section(rows, text.ToString());
    }

    private static async Task WarmAsync(AppProcess app, HttpClient http)
    {
        await app.WaitForFirstOkAsync(TimeSpan.FromSeconds(30));
        for (var i = 0; i < 100; i++)
        {
            using var response = await http.GetAsync(app.Url);
            response.EnsureSuccessStatusCode();
        }
    }

    private static async Task<double> IdleStopAsync(AppVariant variant, HttpClient http)
    {
        await using var app = AppProcess.Start(variant);
        await WarmAsync(app, http);
        var signalled = app.Signal(AppProcess.SigTerm);
        var (exited, code) = await app.WaitForExitAsync(TimeSpan.FromSeconds(30));
        EnsureClean(variant, code);
        return Stopwatch.GetElapsedTime(signalled, exited).TotalMilliseconds;
    }

    private static async Task<double> StopWithTaskAsync(AppVariant variant, HttpClient http)
    {
        await using var app = AppProcess.Start(variant);
        await WarmAsync(app, http);
        var sent = Stopwatch.GetTimestamp();
        using (var response = await http.GetAsync(new Uri(app.Url, string.Create(CultureInfo.InvariantCulture, $"/task?ms={TaskMilliseconds}"))))
        {
            response.EnsureSuccessStatusCode();
        }

        await Task.Delay(100);
        app.Signal(AppProcess.SigTerm);
        var (exited, code) = await app.WaitForExitAsync(TimeSpan.FromSeconds(30));
        EnsureClean(variant, code);
        return Stopwatch.GetElapsedTime(sent, exited).TotalMilliseconds - TaskMilliseconds;
    }

    private static void EnsureClean(AppVariant variant, int code)
    {
        if (code != 0)
        {
            throw new InvalidOperationException($"{variant.Name} exited with code {code} after SIGTERM.");
        }
    }
}
