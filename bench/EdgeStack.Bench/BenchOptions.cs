using System.Globalization;

namespace EdgeStack.Bench;

/// <summary>What to run and for how long; <c>--quick</c> is a smoke run of every row in about two minutes.</summary>
internal sealed class BenchOptions
{
    public required string RepositoryRoot { get; init; }

    public bool Quick { get; init; }

    /// <summary>Gets the rows to run (1–9); all by default.</summary>
    public IReadOnlySet<int> Rows { get; init; } = new HashSet<int> { 1, 2, 3, 4, 5, 6, 7, 8, 9 };

    public string OutputDirectory => Path.Combine(RepositoryRoot, "bench", Quick ? "results-quick" : "results");

    public string ResultsFile => Quick ? Path.Combine(OutputDirectory, "RESULTS.md") : Path.Combine(RepositoryRoot, "bench", "RESULTS.md");

    public string AppsDirectory => Path.Combine(RepositoryRoot, "bench", "EdgeStack.Bench.Apps", "bin");

    /// <summary>Gets where run.sh publishes the <c>hello</c> function with Native AOT.</summary>
    public string HelloAotDirectory => Path.Combine(RepositoryRoot, ".edgestack", "bench", "hello-aot");

    public int LoadRounds => Quick ? 1 : 5;

    public TimeSpan Warmup => TimeSpan.FromSeconds(Quick ? 1 : 3);

    public TimeSpan LoadDuration => TimeSpan.FromSeconds(Quick ? 3 : 8);

    public int Connections { get; init; } = 64;

    public int ColdStartRuns => Quick ? 3 : 10;

    public int MemoryRuns => Quick ? 1 : 3;

    public int ShutdownRuns => Quick ? 2 : 5;

    public TimeSpan AnalyticsDuration => TimeSpan.FromSeconds(Quick ? 3 : 10);

    public static BenchOptions Parse(string[] args)
    {
        var root = Directory.GetCurrentDirectory();
        var quick = false;
        HashSet<int>? rows = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    quick = true;
                    break;
                case "--root" when i + 1 < args.Length:
                    root = args[++i];
                    break;
                case "--rows" when i + 1 < args.Length:
                    rows = [.. args[++i].Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture))];
                    break;
                default:
                    throw new ArgumentException($"Unknown argument '{args[i]}'. Usage: EdgeStack.Bench [--quick] [--rows 1,2,...] [--root DIR]");
            }
        }

        return rows is null
            ? new BenchOptions { RepositoryRoot = Path.GetFullPath(root), Quick = quick }
            : new BenchOptions { RepositoryRoot = Path.GetFullPath(root), Quick = quick, Rows = rows };
    }
}
