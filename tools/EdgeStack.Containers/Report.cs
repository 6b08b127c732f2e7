using System.Globalization;

namespace EdgeStack.Containers;

/// <summary>The checks' verdicts, printed as they happen, and the figures of the summary table.</summary>
internal sealed class Report(TextWriter output)
{
    private readonly List<(string Check, bool Passed, string Detail)> _checks = [];
    private readonly List<(string Name, string Value)> _figures = [];
    private readonly List<(string Target, bool Met, string Detail)> _targets = [];

    public int Failed => _checks.Count(c => !c.Passed);

    /// <summary>Records and prints one verdict; returns it so a caller can stop a chain that depends on it.</summary>
    public bool Check(string check, bool passed, string detail)
    {
        _checks.Add((check, passed, detail));
        output.WriteLine($"{(passed ? "PASS" : "FAIL")}  {check}: {detail}");
        return passed;
    }

    /// <summary>Records and prints a figure held to a target: a miss is reported in the summary, it is not a failed check.</summary>
    public void Target(string target, bool met, string detail)
    {
        _targets.Add((target, met, detail));
        output.WriteLine($"{(met ? "MET " : "MISS")}  {target}: {detail}");
    }

    public void Figure(string name, string value)
    {
        _figures.Add((name, value));
        output.WriteLine($"      {name}: {value}");
    }

    public void Step(string text) => output.WriteLine($"== {text}");

    /// <summary>Prints the summary: every check with its verdict, then the figures.</summary>
    public void PrintSummary()
    {
        var width = new[] { _checks.Select(c => c.Check.Length), _targets.Select(t => t.Target.Length), _figures.Select(f => f.Name.Length) }.SelectMany(l => l).DefaultIfEmpty(0).Max();
        output.WriteLine();
        output.WriteLine("| " + "check".PadRight(width) + " | result | detail");
        output.WriteLine("|-" + new string('-', width) + "-|--------|-------");
        foreach (var (check, passed, detail) in _checks)
        {
            output.WriteLine("| " + check.PadRight(width) + " | " + (passed ? "pass  " : "FAIL  ") + " | " + detail);
        }

        if (_targets.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("| " + "target".PadRight(width) + " | result | detail");
            output.WriteLine("|-" + new string('-', width) + "-|--------|-------");
            foreach (var (target, met, detail) in _targets)
            {
                output.WriteLine("| " + target.PadRight(width) + " | " + (met ? "met   " : "MISSED") + " | " + detail);
            }
        }

        output.WriteLine();
        output.WriteLine("| " + "figure".PadRight(width) + " | value");
        output.WriteLine("|-" + new string('-', width) + "-|------");
        foreach (var (name, value) in _figures)
        {
            output.WriteLine("| " + name.PadRight(width) + " | " + value);
        }

        output.WriteLine();
        if (_targets.Count > 0)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"containers: targets {_targets.Count(t => t.Met)} met, {_targets.Count(t => !t.Met)} missed"));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"containers: {_checks.Count - Failed} checks passed, {Failed} failed"));
    }

    public static string Seconds(TimeSpan elapsed) => elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";

    public static string Milliseconds(TimeSpan elapsed) => elapsed.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms";

    public static string Megabytes(long bytes) => (bytes / 1_000_000.0).ToString("0", CultureInfo.InvariantCulture) + " MB";
}
