namespace EdgeStack.Azure;

/// <summary>Tracks analytics events; they are buffered and sent to the sink in the background, never blocking the caller.</summary>
public interface IAnalytics
{
    /// <summary>Buffers an event for the sink; when the buffer is full the event is dropped and counted (see <see cref="AnalyticsOptions"/>).</summary>
    /// <param name="name">What happened.</param>
    /// <param name="properties">Details of the event.</param>
    void Track(string name, IReadOnlyDictionary<string, string>? properties = null);
}
