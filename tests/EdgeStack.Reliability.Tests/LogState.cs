using System.Text.Json;
using EdgeStack.Testing;

namespace EdgeStack.Reliability.Tests;

/// <summary>Reads a named value of a JSON log line's state, such as the count of dropped events.</summary>
internal static class LogState
{
    public static long Number(LogLine line, string name)
    {
        ArgumentNullException.ThrowIfNull(line);
        using var document = JsonDocument.Parse(line.Raw);
        return document.RootElement.TryGetProperty("State", out var state) && state.TryGetProperty(name, out var value)
            ? value.ValueKind == JsonValueKind.Number ? value.GetInt64() : long.Parse(value.GetString()!, System.Globalization.CultureInfo.InvariantCulture)
            : 0;
    }

    public static long Sum(IEnumerable<LogLine> lines, LogEvent logEvent, string name) =>
        lines.Where(logEvent.Matches).Sum(l => Number(l, name));
}
