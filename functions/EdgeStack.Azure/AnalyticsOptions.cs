using EdgeStack.Contracts;

namespace EdgeStack.Azure;

/// <summary>Where analytics events go and how they are buffered and batched.</summary>
/// <remarks>
/// <para>Bound from the <c>Analytics</c> section (<see cref="SettingNames"/>), validated at start. Without an
/// <see cref="Endpoint"/>, <see cref="IAnalytics.Track"/> does nothing.</para>
/// <para>
/// Events wait in a buffer of <see cref="Capacity"/> events. When it is full, the newest event is dropped:
/// <c>Track</c> never blocks a request nor grows memory, and what was buffered still goes out in order.
/// Drops are counted (<c>edgestack.analytics.dropped</c>) and logged with their number at most once per
/// <see cref="DropLogIntervalSeconds"/> while they go on, and once more as soon as the buffer has drained or the instance
/// stops, so every dropped event is in a log line. A background task started with <c>WaitUntil</c> sends batches of up to
/// <see cref="MaxBatchSize"/> events, waiting at most <see cref="LingerMilliseconds"/> for a batch to fill
/// (not at all once the instance drains: <c>BeforeUnload</c> also ends a linger under way). A batch the sink refuses with a
/// 4xx other than 408 and 429 is dropped at once; any other failure is tried again after 100 ms, then 200 ms, doubling, up to
/// <see cref="MaxSendAttempts"/> tries in all, then dropped. Dropped batches are counted and logged; so are the batch in hand and the
/// events still buffered when the drain budget ends.
/// </para>
/// </remarks>
public sealed class AnalyticsOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = SettingNames.AnalyticsSection;

    /// <summary>The most events the sink accepts in one request: one table transaction, so a batch is stored whole or not at all.</summary>
    public const int MaxSinkBatchSize = 100;

    /// <summary>Gets or sets the sink's base URL (<c>Analytics:Endpoint</c>); events are posted to its <c>/events</c>.</summary>
    public string? Endpoint { get; set; }

    /// <summary>Gets or sets the key the sink requires (<c>Analytics:Key</c>).</summary>
    public string? Key { get; set; }

    /// <summary>Gets or sets how many events the buffer holds (default 10,000).</summary>
    public int Capacity { get; set; } = 10_000;

    /// <summary>Gets or sets the most events sent in one request (default 100, at most 100).</summary>
    public int MaxBatchSize { get; set; } = 100;

    /// <summary>Gets or sets how long a batch may wait to fill, in milliseconds (default 200).</summary>
    public int LingerMilliseconds { get; set; } = 200;

    /// <summary>Gets or sets how many times a batch is sent before it is dropped (default 3).</summary>
    public int MaxSendAttempts { get; set; } = 3;

    /// <summary>Gets or sets the shortest interval between two logs about dropped events, in seconds (default 10).</summary>
    public double DropLogIntervalSeconds { get; set; } = 10;
}
