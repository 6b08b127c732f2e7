using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using EdgeStack.Testing;

namespace EdgeStack.Reliability.Tests;

/// <summary>Renders RELIABILITY.md from the results the scenarios wrote: <c>dotnet EdgeStack.Reliability.Tests.dll render [results folder] [output]</c>.</summary>
public static class Program
{
    // Written by hand when a scenario finds a fault; the figures above come from the run.
    private static readonly string[] s_faults =
    [
        "**Poison and duplicates (4)**: a duplicate delivery of a `report` job ran its steps again and rewrote `reports/{id}.json`. `ReportHandler` now writes once per work item (`If-None-Match: *`, the work id in the blob's metadata); a duplicate stops before the steps (`ReportAlreadyDone`, 223), a later job with the same report id still replaces the report.",
        "**Bad input (6)**: bodies that were not UTF-8 were accepted and stored with replacement characters instead of what was sent, and invalid UTF-8 or an escaped lone surrogate (`\\ud800`) in an id answered 500 (`JsonElement.GetString` threw). `JsonRequestBody` now decodes strictly and refuses strings that are not valid Unicode: 400 with the problem named, nothing written.",
        "**Bad input (6)**, from a security review (issue 15) rather than a run: `JsonRequestBody` built the path of every element before it knew anything was wrong, so one 1 MiB body (a 512K-character name over a ~256K-element array) cost minutes of a core and ignored the request's token. It now checks strings in one linear pass and builds a path only for the one it reports; the scenario sends that shape and its relatives (240 names of 4000 characters, ~100K names, arrays 60 deep of 8000-character strings, a lone surrogate at the very end) in the mix and each alone to `upload`, `analytics` and `worker`, and requires every one answered and each alone under 1 s of the app's processor time.",
        "**Bad input (6)**: a GET declaring a body over the limit (`Content-Length: 50000000`) ran `hello` (its analytics event was written) and then lost its answer when Kestrel gave up on the body. `UseEdgeStackFunction` refuses a declared oversized body with 413 before any endpoint runs.",
        "**Analytics overload (7)**: drops were logged at most once per interval with the count since the previous log, so the drops after the last log were never reported (32,393 of 145,846 in the first run), and the batch in hand and the buffer at the end of the drain budget were only counted in a metric. The analytics client now reports held-back drops as soon as the buffer drains, reports what the drain budget cuts off, and reports once more when it is disposed: delivered + reported = accepted.",
        "**Memory pressure (5)**: the soft-limit monitor read only the heap size after the last GC, at a fixed interval; a fast leak went from below the warning level to `OutOfMemoryException` in requests before a check saw it. It now looks every 50 ms once the heap is past half the warning level, and also reads the bytes allocated since the last GC; when only those cross the level, a full collection (at most one per 50 ms) confirms before the instance retires.",
        "**SIGTERM under load (1)**: nothing failed, but BeforeUnload left no trace in the logs; the runtime now logs `BeforeUnloadRaised` (14) once per instance, which the scenario counts.",
        "**Storage outage (2)**, test side: Azurite saves its metadata every 5 s (LokiJS autosave), so killing it can lose writes it has acknowledged; the scenario stops it with SIGTERM (`AzuriteFixture.StopAsync(graceful: true)`), as a storage service that goes away keeps what it acknowledged.",
    ];

    public static int Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0 || args[0] != "render")
        {
            Console.Error.WriteLine("usage: EdgeStack.Reliability.Tests render [results-folder] [output.md]");
            return 2;
        }

        var folder = args.Length > 1 ? args[1] : ScenarioResult.Folder;
        var output = args.Length > 2 ? args[2] : Path.Combine(TestPaths.RepositoryRoot, "RELIABILITY.md");
        var results = ScenarioResult.ReadAll(folder);
        if (results.Count == 0)
        {
            Console.Error.WriteLine($"No scenario results in {folder}: run the scenarios first.");
            return 1;
        }

        File.WriteAllText(output, Render(results));
        Console.WriteLine($"Wrote {output} from {results.Count} scenario results.");
        return results.Any(r => r.WorkLost != 0) ? 1 : 0;
    }

    public static string Render(IReadOnlyList<ScenarioResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var inv = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.AppendLine("# Reliability");
        md.AppendLine();
        md.AppendLine("Seven scenarios attack EdgeStack the way production will: load, SIGTERM, storage outages, SIGKILL, poison");
        md.AppendLine("messages, memory pressure, hostile input and an overloaded analytics sink. Each runs on 127.0.0.1 against Azurite");
        md.AppendLine("and the real function processes, bounded in time and count, and stops by itself. The figures below are from a");
        md.AppendLine("real run on this machine; **work lost** counts accepted work that is neither in storage, nor in `jobs-poison` with");
        md.AppendLine("its reason, nor reported (logged and counted) — it must be 0.");
        md.AppendLine();
        md.AppendLine(inv, $"Machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}.");
        md.AppendLine(inv, $"Run: {string.Join(", ", results.Select(r => r.Mode).Distinct())} mode, seed {string.Join(", ", results.Select(r => r.Seed).Distinct())}, finished {results.Max(r => r.FinishedAt):yyyy-MM-dd HH:mm} UTC.");
        md.AppendLine();
        md.AppendLine("| # | scenario | requests accepted | work lost | duration |");
        md.AppendLine("|---|---|---:|---:|---:|");
        foreach (var r in results)
        {
            md.AppendLine(inv, $"| {r.Number} | {r.Title} | {r.RequestsAccepted} | {r.WorkLost} | {r.DurationSeconds:0.0} s |");
        }

        foreach (var r in results)
        {
            md.AppendLine();
            md.AppendLine(inv, $"## {r.Number}. {r.Title}");
            md.AppendLine();
            md.AppendLine("| figure | value |");
            md.AppendLine("|---|---|");
            md.AppendLine(inv, $"| load held | {Cell(r.LoadHeld)} |");
            md.AppendLine(inv, $"| faults injected | {Cell(r.FaultsInjected)} |");
            md.AppendLine(inv, $"| inputs tried | {Cell(r.InputsTried)} |");
            md.AppendLine(inv, $"| requests accepted | {r.RequestsAccepted} |");
            md.AppendLine(inv, $"| work lost | **{r.WorkLost}** |");
            md.AppendLine(inv, $"| duration | {r.DurationSeconds:0.0} s |");
            foreach (var detail in r.Details)
            {
                md.AppendLine(inv, $"| {Cell(detail[0])} | {Cell(detail[1])} |");
            }

            md.AppendLine(inv, $"| test | `{r.Scenario}` ({r.Mode}, seed {r.Seed}) |");
        }

        md.AppendLine();
        md.AppendLine("## Faults the scenarios found, and their fixes");
        md.AppendLine();
        foreach (var fault in s_faults)
        {
            md.AppendLine("- " + fault);
        }

        md.AppendLine();
        md.AppendLine("## Rerun");
        md.AppendLine();
        md.AppendLine("```sh");
        md.AppendLine("./edgestack reliability        # the long scenarios (EDGESTACK_RELIABILITY=long), then renders this file");
        md.AppendLine("EDGESTACK_RELIABILITY_SEED=42 ./edgestack reliability   # replay the random choices of a run");
        md.AppendLine("dotnet test tests/EdgeStack.Reliability.Tests           # the short versions, as ./edgestack test and CI run them");
        md.AppendLine("```");
        md.AppendLine();
        md.AppendLine("Every scenario is an xunit test in `tests/EdgeStack.Reliability.Tests` (trait `Category=Reliability`). It writes its");
        md.AppendLine("figures to `.edgestack/reliability/<scenario>.json`; `dotnet tests/EdgeStack.Reliability.Tests/bin/Release/net10.0/EdgeStack.Reliability.Tests.dll render`");
        md.AppendLine("turns them into this file (`./edgestack reliability` does both). The short versions hold less load for less time and");
        md.AppendLine("repeat less; they assert the same things.");
        return md.ToString();
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
