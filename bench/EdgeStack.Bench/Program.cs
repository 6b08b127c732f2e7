using System.Diagnostics;
using System.Globalization;
using System.Text;
using EdgeStack.Bench;

// Runs every comparison of bench/README.md side by side on this machine and writes RESULTS.md with its charts.
var options = BenchOptions.Parse(args);
Directory.CreateDirectory(options.OutputDirectory);
var started = Stopwatch.GetTimestamp();
var wrk = new Wrk(options);
var imagePrefix = Path.GetRelativePath(Path.GetDirectoryName(options.ResultsFile)!, options.OutputDirectory).Replace('\\', '/') + "/";
var charts = new Charts(options.OutputDirectory, imagePrefix == "./" ? string.Empty : imagePrefix);
var machine = MachineInfo.Read();
var sections = new List<Section>();

async Task RunAsync(string title, Func<Task<Section>> run)
{
    Console.WriteLine($"== {title}");
    sections.Add(await run());
}

if (options.Rows.Overlaps([1, 2, 3]))
{
    await RunAsync("rows 1-3: load", () => new LoadComparison(options, wrk, charts).RunAsync());
}

if (options.Rows.Contains(4))
{
    await RunAsync("row 4: cold start", () => new ColdStartComparison(options, charts).RunAsync());
}

if (options.Rows.Contains(5))
{
    await RunAsync("row 5: idle memory", () => new MemoryComparison(options).RunAsync());
}

if (options.Rows.Contains(6))
{
    await RunAsync("row 6: SIGTERM", () => new ShutdownComparison(options).RunAsync());
}

if (options.Rows.Contains(7))
{
    await RunAsync("row 7: analytics", () => new AnalyticsComparison(options, wrk).RunAsync());
}

if (options.Rows.Contains(8))
{
    await RunAsync("row 8: BenchmarkDotNet", () => new MicroBenchmarks(options).RunAsync());
}

if (options.Rows.Contains(9))
{
    await RunAsync("row 9: container image", () => new ContainerComparison(options).RunAsync());
}

var text = new StringBuilder();
text.AppendLine("# EdgeStack benchmarks");
text.AppendLine();
text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Written by `./edgestack bench`{(options.Quick ? " --quick (a smoke run: short and few rounds, not for comparison)" : string.Empty)} on {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC in {Stopwatch.GetElapsedTime(started).TotalMinutes:0.0} min. Every server ran on this machine as its own process on 127.0.0.1, each comparison's baseline in the same run. Medians with (min–max) over the runs."));
text.AppendLine();
text.AppendLine("## Machine");
text.AppendLine();
text.Append(Markdown.Table(["", ""], machine.Append((Name: "load average at end", Value: File.ReadAllText("/proc/loadavg").Trim())).Select(m => (IReadOnlyList<string>)[m.Name, m.Value])));
text.AppendLine();
text.AppendLine("## Summary");
text.AppendLine();
text.Append(Markdown.Table(
    ["#", "scenario", "target", "measured (median)", "baseline (same run)", "ratio", "target"],
    sections.SelectMany(s => s.Rows).OrderBy(r => r.Number).Select(r => (IReadOnlyList<string>)
        [r.Number.ToString(CultureInfo.InvariantCulture), r.Scenario, r.Target, r.Measured, r.Baseline, r.Ratio, Markdown.Verdict(r.Met)])));
text.AppendLine();
var findings = Path.Combine(options.RepositoryRoot, "bench", "findings.md");
if (File.Exists(findings))
{
    text.AppendLine((await File.ReadAllTextAsync(findings)).TrimEnd());
    text.AppendLine();
}

foreach (var section in sections)
{
    text.Append(section.Markdown);
}

await File.WriteAllTextAsync(options.ResultsFile, text.ToString().TrimEnd() + "\n");
Console.WriteLine($"wrote {options.ResultsFile}");
