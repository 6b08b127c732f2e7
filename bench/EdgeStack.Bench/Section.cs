namespace EdgeStack.Bench;

/// <summary>What one comparison found: its rows of the summary table and its own section of RESULTS.md.</summary>
internal sealed record Section(IReadOnlyList<SummaryRow> Rows, string Markdown);
