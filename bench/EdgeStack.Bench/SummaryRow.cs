namespace EdgeStack.Bench;

/// <summary>One of the eight rows of the table, as measured.</summary>
internal sealed record SummaryRow(int Number, string Scenario, string Target, string Measured, string Baseline, string Ratio, bool? Met);
