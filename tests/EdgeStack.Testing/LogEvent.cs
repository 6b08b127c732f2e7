namespace EdgeStack.Testing;

/// <summary>
/// A log event as the JSON console writes it: its logger's category and its fixed id. Ids are unique only within a
/// category (14 is the runtime's BeforeUnloadRaised and also the host's "Now listening"), so tests match both.
/// </summary>
public sealed record LogEvent(string Category, int Id)
{
    /// <summary>Whether <paramref name="line"/> is this event.</summary>
    public bool Matches(LogLine? line) => line is not null && line.EventId == Id && string.Equals(line.Category, Category, StringComparison.Ordinal);

    /// <summary>Whether the raw console <paramref name="line"/> is this event.</summary>
    public bool Matches(string line) => Matches(LogLine.TryParse(line));
}
