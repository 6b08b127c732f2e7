using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json;
using System.Threading.Channels;
using EdgeStack.Azure.Internal;
using EdgeStack.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace EdgeStack.Azure.Tests;

/// <summary>
/// What the analytics client does with the sink's answers, its clock and the instance's drain, read from its three
/// counters, the sink's side and the deadlines it sets on the app's clock.
/// </summary>
public sealed class AnalyticsClientDeliveryTests : IDisposable
{
    private const int DropsReportedEventId = 106;
    private const int SendFailedEventId = 107;
    private const int AnalyticsDisabledEventId = 108;
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);
    private readonly ServiceProvider _metrics = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly FakeEdgeRuntime _runtime = new();
    private readonly RecordingLogger<AnalyticsClient> _logger = new();
    private readonly DeadlineClock _clock = new();
    private readonly MetricCollector<long> _tracked;
    private readonly MetricCollector<long> _sent;
    private readonly MetricCollector<long> _dropped;

    public AnalyticsClientDeliveryTests()
    {
        var meters = _metrics.GetRequiredService<IMeterFactory>();
        _tracked = new(meters, AnalyticsClient.MeterName, "edgestack.analytics.tracked");
        _sent = new(meters, AnalyticsClient.MeterName, "edgestack.analytics.sent");
        _dropped = new(meters, AnalyticsClient.MeterName, "edgestack.analytics.dropped");
    }

    [Fact]
    public async Task Counters_SinkAcceptsEveryBatch_CountEveryEventTrackedAndSentAndNoneDropped()
    {
        var sink = new ScriptedSink();
        using var client = CreateClient(sink, new AnalyticsOptions { MaxBatchSize = 10, LingerMilliseconds = 0 });

        for (var i = 0; i < 25; i++)
        {
            client.Track("e" + i);
        }

        await _runtime.WaitForIdleAsync(s_timeout);
        Assert.Equal(25, Sum(_tracked));
        Assert.Equal(25, Sum(_sent));
        Assert.Equal(0, Sum(_dropped));
        Assert.All(_sent.GetMeasurementSnapshot(), m => Assert.InRange(m.Value, 1, 10));
        Assert.All([_tracked, _sent, _dropped], c => Assert.Equal("{event}", c.Instrument!.Unit));
    }

    [Fact]
    public async Task Counters_NoEndpoint_CountNothingAndTheClientSaysItIsOff()
    {
        var sink = new ScriptedSink();
        using var client = CreateClient(sink, new AnalyticsOptions(), endpoint: null);

        client.Track("ignored");

        await _runtime.WaitForIdleAsync(s_timeout);
        Assert.Equal(0, Sum(_tracked));
        Assert.Contains(_logger.Events, e => e.Id == AnalyticsDisabledEventId);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void Track_BlankName_IsRefused(string name)
    {
        using var client = CreateClient(new ScriptedSink(), new AnalyticsOptions());

        Assert.Throws<ArgumentException>(() => client.Track(name));
        Assert.Equal(0, Sum(_tracked));
    }

    [Fact]
    public async Task Track_SinkRefusesTheBatch_CountsEveryEventOfItAsDropped()
    {
        var sink = new ScriptedSink { Script = (_, _) => Task.FromResult<HttpResponseMessage?>(new HttpResponseMessage(HttpStatusCode.BadRequest)) };
        using var client = CreateClient(sink, new AnalyticsOptions { MaxBatchSize = 3, LingerMilliseconds = 1000 });

        client.Track("a");
        client.Track("b");
        client.Track("c");

        await SettleAsync();
        Assert.Equal(0, Sum(_sent));
        Assert.Equal(3, Sum(_dropped));

        // Each refused batch is tried once and reported with its events.
        var reports = _logger.Entries.Where(e => e.Id.Id == SendFailedEventId).ToList();
        Assert.Equal(sink.Attempts, reports.Count);
        Assert.Equal(3, reports.Sum(r => Convert.ToInt32(r.Values["EventCount"], System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task Track_SinkUnreachableOnce_RetriesAndDelivers()
    {
        var sink = new ScriptedSink { Script = (attempt, _) => attempt == 1 ? throw new HttpRequestException("connection refused") : Task.FromResult<HttpResponseMessage?>(null) };
        using var client = CreateClient(sink, new AnalyticsOptions { LingerMilliseconds = 0, MaxSendAttempts = 2 }, TimeProvider.System);

        client.Track("a");

        await _runtime.WaitForIdleAsync(s_timeout);
        Assert.Equal(2, sink.Attempts);
        Assert.Equal(["a"], sink.Events.Select(e => e.Name));
        Assert.Equal(1, Sum(_sent));
        Assert.Equal(0, Sum(_dropped));
    }

    [Fact]
    public async Task Track_SinkAnswersTooLateOnce_RetriesAfterTheClientTimeoutAndDelivers()
    {
        var sink = new ScriptedSink
        {
            Script = async (attempt, aborted) =>
            {
                if (attempt == 1)
                {
                    // Holds the request until the HttpClient's own timeout gives up on it; the second answers at once, well
                    // within the same 2 s timeout, on a loaded machine too.
                    await Task.Delay(Timeout.Infinite, aborted);
                }

                return null;
            },
        };
        using var client = CreateClient(sink, new AnalyticsOptions { LingerMilliseconds = 0, MaxSendAttempts = 2 }, TimeProvider.System, TimeSpan.FromSeconds(2));

        client.Track("a");

        await _runtime.WaitForIdleAsync(s_timeout);
        Assert.Equal(2, sink.Attempts);
        Assert.Equal(["a"], sink.Events.Select(e => e.Name));
        Assert.Equal(0, Sum(_dropped));
    }

    [Fact]
    public async Task Track_SinkFailsEveryAttempt_WaitsDoublingDelaysBetweenTriesAndNoneAfterTheLast()
    {
        var sink = new ScriptedSink { Script = (_, _) => Task.FromResult<HttpResponseMessage?>(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)) };
        using var client = CreateClient(sink, new AnalyticsOptions { LingerMilliseconds = 0, MaxSendAttempts = 3 });

        client.Track("a");

        Assert.Equal(TimeSpan.FromMilliseconds(100), await _clock.NextDeadlineAsync(s_timeout));
        Assert.Equal(1, sink.Attempts);
        _clock.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(TimeSpan.FromMilliseconds(200), await _clock.NextDeadlineAsync(s_timeout));
        Assert.Equal(2, sink.Attempts);
        _clock.Advance(TimeSpan.FromMilliseconds(200));
        await _runtime.WaitForIdleAsync(s_timeout);
        Assert.Equal(3, sink.Attempts);
        Assert.False(_clock.HasDeadline);
        Assert.Equal(1, Sum(_dropped));
    }

    [Fact]
    public async Task Track_PumpReachesHalfTheTaskTimeout_HandsOverToAFreshPump()
    {
        // Each send takes 5 s of a 10 s task timeout: every pump sends one batch and hands over before the runtime would cancel it.
        Assert.Equal(3, await PumpsToSendThreeAsync(eachSend: TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Track_PumpWellWithinItsLifetime_KeepsSending()
    {
        Assert.Equal(1, await PumpsToSendThreeAsync(eachSend: TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task Track_MoreBufferedThanABatch_GoesOutInBatchesOfAtMostMaxBatchSize()
    {
        var allTracked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sink = new ScriptedSink
        {
            Script = async (_, aborted) =>
            {
                await allTracked.Task.WaitAsync(s_timeout, aborted);
                return null;
            },
        };
        using var client = CreateClient(sink, new AnalyticsOptions { MaxBatchSize = 2, LingerMilliseconds = 0 });

        foreach (var name in new[] { "a", "b", "c", "d", "e", "f" })
        {
            client.Track(name);
        }

        allTracked.SetResult();
        await _runtime.WaitForIdleAsync(s_timeout);
        Assert.Equal(["a", "b", "c", "d", "e", "f"], sink.Events.Select(e => e.Name));
        Assert.All(sink.Batches, b => Assert.InRange(b.Count, 1, 2));
    }

    [Fact]
    public async Task Track_FirstDropAfterAQuietSpell_IsReportedAtOnce()
    {
        var held = new HeldSends(firstHeldAttempt: 2);
        var sink = held.Sink();
        using var client = CreateClient(sink, new AnalyticsOptions { Capacity = 1, MaxBatchSize = 1, LingerMilliseconds = 0 });
        client.Track("sent");
        await _runtime.WaitForIdleAsync(s_timeout);
        client.Track("in-flight");
        await held.Arrived.Task.WaitAsync(s_timeout);
        client.Track("buffered");

        client.Track("dropped");

        Assert.Equal([1L], DropReports());
        held.Release.SetResult();
        await _runtime.WaitForIdleAsync(s_timeout);
    }

    [Fact]
    public async Task Track_BatchFillsWhileLingering_IsSentAtOnceAsOneBatch()
    {
        var sink = new ScriptedSink();
        using var client = CreateClient(sink, new AnalyticsOptions { MaxBatchSize = 3, LingerMilliseconds = 1000 });
        client.Track("a");
        Assert.Equal(TimeSpan.FromSeconds(1), await _clock.NextDeadlineAsync(s_timeout));

        client.Track("b");
        client.Track("c");

        Assert.Equal(["a", "b", "c"], (await sink.NextBatchAsync(s_timeout)).Select(e => e.Name));
        await SettleAsync();
    }

    [Fact]
    public async Task Track_MoreArriveWhileLingeringThanABatchHolds_RestGoesInTheNextBatch()
    {
        var sink = new ScriptedSink();
        using var client = CreateClient(sink, new AnalyticsOptions { MaxBatchSize = 2, LingerMilliseconds = 1000 });
        client.Track("a");
        await _clock.NextDeadlineAsync(s_timeout);

        client.Track("b");
        client.Track("c");

        Assert.Equal(["a", "b"], (await sink.NextBatchAsync(s_timeout)).Select(e => e.Name));
        await SettleAsync();
        Assert.Equal(["a", "b", "c"], sink.Events.Select(e => e.Name));
    }

    [Fact]
    public async Task Track_BatchDoesNotFill_IsSentWhenTheLingerEnds()
    {
        var sink = new ScriptedSink();
        using var client = CreateClient(sink, new AnalyticsOptions { MaxBatchSize = 10, LingerMilliseconds = 1000 });
        client.Track("a");
        Assert.Equal(TimeSpan.FromSeconds(1), await _clock.NextDeadlineAsync(s_timeout));
        Assert.Equal(0, sink.Attempts);

        _clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(["a"], (await sink.NextBatchAsync(s_timeout)).Select(e => e.Name));
        await SettleAsync();
    }

    [Fact]
    public async Task BeforeUnload_WhileABatchLingers_SendsItWithoutWaitingForTheLinger()
    {
        var sink = new ScriptedSink();
        using var client = CreateClient(sink, new AnalyticsOptions { MaxBatchSize = 10, LingerMilliseconds = 60_000 });
        client.Track("a");
        await _clock.NextDeadlineAsync(s_timeout);

        _runtime.Retire(ShutdownReason.Termination);

        Assert.Equal(["a"], (await sink.NextBatchAsync(s_timeout)).Select(e => e.Name));
        await _runtime.WaitForIdleAsync(s_timeout);
    }

    [Fact]
    public async Task Track_AfterBeforeUnload_SendsWithoutLingering()
    {
        var sink = new ScriptedSink();
        using var client = CreateClient(sink, new AnalyticsOptions { MaxBatchSize = 10, LingerMilliseconds = 60_000 });
        _runtime.Retire(ShutdownReason.Termination);

        client.Track("a");

        await _runtime.WaitForIdleAsync(s_timeout);
        Assert.Equal(["a"], sink.Events.Select(e => e.Name));
        Assert.False(_clock.HasDeadline);
    }

    [Fact]
    public async Task Dispose_DropsHeldBackByTheInterval_AreReportedWithWhatIsStillBuffered()
    {
        var held = new HeldSends(firstHeldAttempt: 1);
        var sink = held.Sink();
        var client = CreateClient(sink, new AnalyticsOptions { Capacity = 2, MaxBatchSize = 1, LingerMilliseconds = 0 });
        client.Track("in-flight");
        await held.Arrived.Task.WaitAsync(s_timeout);
        client.Track("buffered-1");
        client.Track("buffered-2");
        client.Track("dropped-1");
        client.Track("dropped-2");

        client.Dispose();

        // The first drop is reported at once; the second waits for the interval, which the clock never reaches: Dispose
        // reports it together with the two events it finds still buffered.
        Assert.Equal([1L, 3L], DropReports());
        Assert.Equal(4, Sum(_dropped));
        held.Release.SetResult();
        await _runtime.WaitForIdleAsync(s_timeout);
    }

    [Fact]
    public async Task Track_DropsGoOnPastTheInterval_AreReportedAgain()
    {
        var held = new HeldSends(firstHeldAttempt: 1);
        var sink = held.Sink();
        using var client = CreateClient(sink, new AnalyticsOptions { Capacity = 1, MaxBatchSize = 1, LingerMilliseconds = 0, DropLogIntervalSeconds = 10 });
        client.Track("in-flight");
        await held.Arrived.Task.WaitAsync(s_timeout);
        client.Track("buffered");

        client.Track("dropped-1");
        client.Track("dropped-2");
        _clock.Advance(TimeSpan.FromSeconds(10));
        client.Track("dropped-3");

        // At the first drop, then at the first drop once the interval has passed (with the one held back).
        Assert.Equal([1L, 2L], DropReports());
        held.Release.SetResult();
        await _runtime.WaitForIdleAsync(s_timeout);
    }

    /// <summary>The dropped-event counts the client reported, in order.</summary>
    private IEnumerable<long> DropReports() =>
        _logger.Entries.Where(e => e.Id.Id == DropsReportedEventId).Select(e => Convert.ToInt64(e.Values["DroppedEvents"], System.Globalization.CultureInfo.InvariantCulture));

    public void Dispose()
    {
        _tracked.Dispose();
        _sent.Dispose();
        _dropped.Dispose();
        _metrics.Dispose();
    }

    /// <summary>Lets every deadline the client sets (lingers, back-offs) pass on the fake clock until no pump runs.</summary>
    private async Task SettleAsync()
    {
        var idle = _runtime.WaitForIdleAsync(s_timeout);
        using var stop = new CancellationTokenSource();
        while (!idle.IsCompleted)
        {
            var deadline = _clock.NextDeadlineAsync(s_timeout, stop.Token);
            if (await Task.WhenAny(idle, deadline) == deadline)
            {
                _clock.Advance(await deadline);
            }
        }

        await stop.CancelAsync();
        await idle;
    }

    private static long Sum(MetricCollector<long> collector) => collector.GetMeasurementSnapshot().Sum(m => m.Value);

    private AnalyticsClient CreateClient(
        ScriptedSink sink,
        AnalyticsOptions options,
        TimeProvider? time = null,
        TimeSpan? httpTimeout = null,
        EdgeRuntimeOptions? runtime = null,
        string? endpoint = "http://sink.test")
    {
        options.Endpoint = endpoint;
        return new AnalyticsClient(
            Options.Create(options),
            Options.Create(new FunctionOptions { Name = "tests" }),
            Options.Create(runtime ?? new EdgeRuntimeOptions()),
            _runtime,
            new TimeoutHttpClientFactory(sink, httpTimeout ?? Timeout.InfiniteTimeSpan),
            time ?? _clock,
            _metrics.GetRequiredService<IMeterFactory>(),
            _logger);
    }

    /// <summary>A fake clock that also tells which deadlines are set on it (a linger, a back-off), in the order they are set.</summary>
    private sealed class DeadlineClock : FakeTimeProvider
    {
        private readonly Channel<TimeSpan> _deadlines = Channel.CreateUnbounded<TimeSpan>();

        public bool HasDeadline => _deadlines.Reader.Count > 0;

        public async Task<TimeSpan> NextDeadlineAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
        {
            return await _deadlines.Reader.ReadAsync(cancellationToken).AsTask().WaitAsync(timeout, cancellationToken);
        }

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            _deadlines.Writer.TryWrite(dueTime);
            return base.CreateTimer(callback, state, dueTime, period);
        }
    }

    /// <summary>The sink's side of HTTP, answering each attempt by a script: null accepts and records the batch.</summary>
    private sealed class ScriptedSink : HttpMessageHandler
    {
        private int _attempts;

        public Func<int, CancellationToken, Task<HttpResponseMessage?>> Script { get; init; } = (_, _) => Task.FromResult<HttpResponseMessage?>(null);

        public ConcurrentQueue<List<AnalyticsEvent>> Batches { get; } = new();

        public IEnumerable<AnalyticsEvent> Events => Batches.SelectMany(b => b);

        private readonly Channel<List<AnalyticsEvent>> _arrived = Channel.CreateUnbounded<List<AnalyticsEvent>>();

        public async Task<List<AnalyticsEvent>> NextBatchAsync(TimeSpan timeout) => await _arrived.Reader.ReadAsync().AsTask().WaitAsync(timeout);

        public int Attempts => Volatile.Read(ref _attempts);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var answer = await Script(Interlocked.Increment(ref _attempts), cancellationToken);
            if (answer is not null)
            {
                return answer;
            }

            var batch = JsonSerializer.Deserialize<List<AnalyticsEvent>>(await request.Content!.ReadAsStringAsync(cancellationToken))!;
            Batches.Enqueue(batch);
            _arrived.Writer.TryWrite(batch);
            return new HttpResponseMessage(HttpStatusCode.OK);
        }
    }

    /// <summary>A sink that holds every send from <paramref name="firstHeldAttempt"/> on until <see cref="Release"/>, signalling <see cref="Arrived"/> when one is held.</summary>
    private sealed class HeldSends(int firstHeldAttempt)
    {
        public TaskCompletionSource Arrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ScriptedSink Sink() => new()
        {
            Script = async (attempt, aborted) =>
            {
                if (attempt >= firstHeldAttempt)
                {
                    Arrived.TrySetResult();
                    await Release.Task.WaitAsync(aborted);
                }

                return null;
            },
        };
    }

    private sealed class TimeoutHttpClientFactory(HttpMessageHandler handler, TimeSpan timeout) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(handler, disposeHandler: false) { Timeout = timeout };
    }

    /// <summary>Tracks three events, one per batch, each send taking <paramref name="eachSend"/> of a 10 s task timeout; all must arrive.</summary>
    /// <returns>How many pumps the runtime started to send them.</returns>
    private async Task<int> PumpsToSendThreeAsync(TimeSpan eachSend)
    {
        var allTracked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sink = new ScriptedSink
        {
            Script = async (_, aborted) =>
            {
                await allTracked.Task.WaitAsync(s_timeout, aborted);
                _clock.Advance(eachSend);
                return null;
            },
        };
        using var client = CreateClient(sink, new AnalyticsOptions { MaxBatchSize = 1, LingerMilliseconds = 0 }, runtime: new EdgeRuntimeOptions { TaskTimeoutSeconds = 10 });

        client.Track("a");
        client.Track("b");
        client.Track("c");
        allTracked.SetResult();

        await _runtime.WaitForIdleAsync(s_timeout);
        Assert.Equal(["a", "b", "c"], sink.Events.Select(e => e.Name));
        return _runtime.Started;
    }
}
