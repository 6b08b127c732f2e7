using System.Diagnostics;
using System.Net;
using EdgeStack.Azure.Internal;
using EdgeStack.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace EdgeStack.Azure.Tests;

public sealed class AnalyticsClientTests(ITestOutputHelper output) : IDisposable
{
    private const int SendFailedEventId = 107;
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);
    private readonly ServiceProvider _metrics = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly FakeEdgeRuntime _runtime = new();
    private readonly RecordingLogger<AnalyticsClient> _logger = new();

    [Fact]
    public async Task Track_ManyEvents_SendsThemInBatchesWithTheKey()
    {
        var sink = new FakeSink();
        using var client = CreateClient(sink, new AnalyticsOptions { MaxBatchSize = 100, LingerMilliseconds = 50 });

        for (var i = 0; i < 250; i++)
        {
            client.Track("e" + i);
        }

        await _runtime.WaitForIdleAsync(s_timeout);
        Assert.Equal(250, sink.Events.Count());
        Assert.All(sink.Batches, b => Assert.InRange(b.Count, 1, 100));
        Assert.All(sink.Keys, k => Assert.Equal("sink-key", k));
        Assert.Equal(Enumerable.Range(0, 250).Select(i => "e" + i), sink.Events.Select(e => e.Name));
    }

    [Fact]
    public async Task Track_BufferFull_DropsTheNewestAndReportsEveryDrop()
    {
        var sink = new FakeSink(startOpen: false);
        using var client = CreateClient(sink, new AnalyticsOptions { Capacity = 10, MaxBatchSize = 1, LingerMilliseconds = 0 });
        client.Track("first");
        await sink.FirstArrived.WaitAsync(s_timeout);

        for (var i = 0; i < 30; i++)
        {
            client.Track("e" + i);
        }

        sink.Open();
        await _runtime.WaitForIdleAsync(s_timeout);
        Assert.Equal(["first", .. Enumerable.Range(0, 10).Select(i => "e" + i)], sink.Events.Select(e => e.Name));

        // One report at the first drop; the rest of the interval's drops once the buffer has drained.
        var reports = _logger.Entries.Where(e => e.Id.Id == 106).ToList();
        Assert.InRange(reports.Count, 1, 2);
        Assert.Equal(20L, reports.Sum(r => Convert.ToInt64(r.Values["DroppedEvents"], System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task Dispose_EventsStillBuffered_AreReportedAsDropped()
    {
        var sink = new FakeSink(startOpen: false);
        var client = CreateClient(sink, new AnalyticsOptions { Capacity = 100, MaxBatchSize = 1, LingerMilliseconds = 0 });
        client.Track("first");
        await sink.FirstArrived.WaitAsync(s_timeout);
        for (var i = 0; i < 5; i++)
        {
            client.Track("e" + i);
        }

        client.Dispose();

        var reports = _logger.Entries.Where(e => e.Id.Id == 106).ToList();
        Assert.Equal(5L, reports.Sum(r => Convert.ToInt64(r.Values["DroppedEvents"], System.Globalization.CultureInfo.InvariantCulture)));
        sink.Open();
    }

    [Fact]
    public async Task Track_NoEndpoint_SendsNothing()
    {
        var sink = new FakeSink();
        using var client = CreateClient(sink, new AnalyticsOptions(), enabled: false);

        client.Track("ignored");

        await _runtime.WaitForIdleAsync(s_timeout);
        Assert.Empty(sink.Batches);
        Assert.Equal(0, _runtime.Started);
    }

    [Fact]
    public async Task Track_SustainedLoad_DeliversEveryEvent()
    {
        var sink = new FakeSink();
        using var client = CreateClient(sink, new AnalyticsOptions { Capacity = 100_000 });
        const int count = 50_000;
        var clock = Stopwatch.StartNew();

        for (var i = 0; i < count; i++)
        {
            client.Track("load");
        }

        await _runtime.WaitForIdleAsync(s_timeout);
        output.WriteLine($"{count} events through the client in {clock.ElapsedMilliseconds} ms: {count / clock.Elapsed.TotalSeconds:0} events/s (fake sink).");
        Assert.Equal(count, sink.Events.Count());
    }

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable, true)]
    [InlineData(HttpStatusCode.InternalServerError, true)]
    [InlineData(HttpStatusCode.RequestTimeout, true)]
    [InlineData(HttpStatusCode.TooManyRequests, true)]
    [InlineData(HttpStatusCode.BadRequest, false)]
    [InlineData(HttpStatusCode.Unauthorized, false)]
    [InlineData(HttpStatusCode.NotFound, false)]
    public async Task Track_SinkRefusesOnce_RetriesOnlyWhatAnotherTryCanFix(HttpStatusCode refusal, bool retried)
    {
        var sink = new FakeSink();
        sink.Answers.Enqueue(refusal);
        using var client = CreateClient(sink, new AnalyticsOptions { MaxBatchSize = 10, LingerMilliseconds = 0, MaxSendAttempts = 2 });

        client.Track("once");
        await _runtime.WaitForIdleAsync(s_timeout);

        Assert.Equal(retried ? 2 : 1, sink.Attempts);
        Assert.Equal(retried ? ["once"] : [], sink.Events.Select(e => e.Name));
        var reports = _logger.Entries.Where(e => e.Id.Id == SendFailedEventId).ToList();
        Assert.Equal(retried ? 0 : 1, reports.Count);

        // A refused batch is reported with the attempts actually made, not the most it could have had.
        Assert.All(reports, r => Assert.Equal(1, Convert.ToInt32(r.Values["Attempts"], System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task Track_SinkFailsEveryAttempt_GivesUpAfterMaxSendAttemptsAndReportsTheBatch()
    {
        var sink = new FakeSink();
        for (var i = 0; i < 3; i++)
        {
            sink.Answers.Enqueue(HttpStatusCode.ServiceUnavailable);
        }

        using var client = CreateClient(sink, new AnalyticsOptions { MaxBatchSize = 10, LingerMilliseconds = 0, MaxSendAttempts = 3 });

        client.Track("a");
        await _runtime.WaitForIdleAsync(s_timeout);

        Assert.Equal(3, sink.Attempts);
        Assert.Empty(sink.Batches);
        var report = Assert.Single(_logger.Entries, e => e.Id.Id == SendFailedEventId);
        Assert.Equal(1, Convert.ToInt32(report.Values["EventCount"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(3, Convert.ToInt32(report.Values["Attempts"], System.Globalization.CultureInfo.InvariantCulture));
    }

    public void Dispose() => _metrics.Dispose();

    private AnalyticsClient CreateClient(FakeSink sink, AnalyticsOptions options, bool enabled = true)
    {
        options.Endpoint = enabled ? "http://sink.test" : null;
        options.Key = "sink-key";
        return new AnalyticsClient(
            Options.Create(options),
            Options.Create(new FunctionOptions { Name = "tests" }),
            Options.Create(new EdgeRuntimeOptions()),
            _runtime,
            new FakeHttpClientFactory(sink),
            TimeProvider.System,
            _metrics.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(),
            _logger);
    }
}
