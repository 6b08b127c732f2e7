using System.Text.Json;

namespace EdgeStack.Testing;

/// <summary>One JSON console log line: the fields tests assert on.</summary>
public sealed record LogLine(int EventId, string LogLevel, string Category, string Message, string Raw)
{
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
                root.TryGetProperty("EventId", out var id) ? id.GetInt32() : 0,
                root.GetProperty("LogLevel").GetString() ?? "",
                root.GetProperty("Category").GetString() ?? "",
                root.TryGetProperty("Message", out var message) ? message.GetString() ?? "" : "",
                line);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
