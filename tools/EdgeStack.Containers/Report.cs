using System.Globalization;

namespace EdgeStack.Containers;

/// <summary>The checks' verdicts, printed as they happen, and the figures of the summary table.</summary>
internal sealed class Report(TextWriter output)
{
    private readonly List<(string Check, bool Passed, string Detail)> _checks = [];
    private readonly List<(string Name, string Value)> _figures = [];

    public int Failed => _checks.Count(c => !c.Passed);

    /// <summary>Records and prints one verdict; returns it so a caller can stop a chain that depends on it.</summary>
    public bool Check(string check, bool passed, string detail)
    {
        _checks.Add((check, passed, detail));
        output.WriteLine($"{(passed ? "PASS" : "FAIL")}  {check}: {detail}");
        return passed;
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
        var width = Math.Max(_checks.Select(c => c.Check.Length).DefaultIfEmpty(0).Max(), _figures.Select(f => f.Name.Length).DefaultIfEmpty(0).Max());
        output.WriteLine();
        output.WriteLine("| " + "check".PadRight(width) + " | result | detail");
        output.WriteLine("|-" + new string('-', width) + "-|--------|-------");
        foreach (var (check, passed, detail) in _checks)
        {
            output.WriteLine("| " + check.PadRight(width) + " | " + (passed ? "pass  " : "FAIL  ") + " | " + detail);
        }

        output.WriteLine();
        output.WriteLine("| " + "figure".PadRight(width) + " | value");
        output.WriteLine("|-" + new string('-', width) + "-|------");
        foreach (var (name, value) in _figures)
        {
            output.WriteLine("| " + name.PadRight(width) + " | " + value);
        }

        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"containers: {_checks.Count - Failed} checks passed, {Failed} failed"));
    }

    public static string Seconds(TimeSpan elapsed) => elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";

    public static string Megabytes(long bytes) => (bytes / 1_000_000.0).ToString("0", CultureInfo.InvariantCulture) + " MB";
}
