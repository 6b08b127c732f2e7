using System.Text.Json;

namespace EdgeStack.Testing;

/// <summary>One JSON console log line: the fields tests assert on.</summary>
public sealed record LogLine(int EventId, string LogLevel, string Category, string Message, string Raw)
{
    /// <summary>Reads one structured value the line carries (a placeholder of its message).</summary>
    public JsonElement State(string name)
    {
        using var doc = JsonDocument.Parse(Raw);
        return doc.RootElement.GetProperty(nameof(State)).GetProperty(name).Clone();
    }

    /// <summary>When the line was written (the JSON console's UTC timestamp), or null when the line has none.</summary>
    public DateTimeOffset? Timestamp
    {
        get
        {
            using var doc = JsonDocument.Parse(Raw);
            return doc.RootElement.TryGetProperty(nameof(Timestamp), out var value) && value.TryGetDateTimeOffset(out var at) ? at : null;
        }
    }

    public static LogLine? TryParse(string line)
    {
        if (!line.StartsWith('{'))
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            return new LogLine(
                root.TryGetProperty(nameof(EventId), out var id) ? id.GetInt32() : 0,
                root.GetProperty(nameof(LogLevel)).GetString() ?? "",
                root.GetProperty(nameof(Category)).GetString() ?? "",
                root.TryGetProperty(nameof(Message), out var message) ? message.GetString() ?? "" : "",
                line);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
