namespace EdgeStack.Infra.Tests;

/// <summary>A short line diff for test messages: the changed middle of two texts, with three lines of context.</summary>
internal static class LineDiff
{
    public static string Unified(string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        var start = 0;
        while (start < a.Length && start < b.Length && a[start] == b[start])
        {
            start++;
        }

        var endA = a.Length;
        var endB = b.Length;
        while (endA > start && endB > start && a[endA - 1] == b[endB - 1])
        {
            endA--;
            endB--;
        }

        var from = Math.Max(0, start - 3);
        var lines = new List<string> { $"@@ line {from + 1} @@" };
        lines.AddRange(a[from..start].Select(l => "  " + l));
        lines.AddRange(a[start..endA].Select(l => "- " + l));
        lines.AddRange(b[start..endB].Select(l => "+ " + l));
        lines.AddRange(a[endA..Math.Min(a.Length, endA + 3)].Select(l => "  " + l));
        return string.Join('\n', lines);
    }
}
