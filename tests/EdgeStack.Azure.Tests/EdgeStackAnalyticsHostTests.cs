using System.Diagnostics.Metrics;
using System.Threading.Channels;
using EdgeStack.Azure.Internal;
using EdgeStack.Contracts;
using EdgeStack.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeStack.Azure.Tests;

/// <summary>
/// <c>AddEdgeStackAnalytics</c> on a real host with the real runtime, sending to a sink on a real Kestrel port: where the
/// events go, with what, what a bad setting does at start, and what the runtime's task timeout and drain cost.
/// </summary>
public sealed class EdgeStackAnalyticsHostTests : IAsyncLifetime
{
    private const string SinkKey = "sink-key-0123456789abcdef0123456789";
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);
    private readonly Channel<(string Path, string? Key, AnalyticsEvent Event)> _received = Channel.CreateUnbounded<(string Path, string? Key, AnalyticsEvent Event)>();
    private readonly TaskCompletionSource _slowArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication _sink = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _sink = builder.Build();
        _sink.MapPost("/{**path}", async (HttpContext context) =>
        {
            var batch = await context.Request.ReadFromJsonAsync(AzureJsonContext.Default.ListAnalyticsEvent, context.RequestAborted) ?? [];
            if (batch.Any(e => e.Name == "slow"))
            {
                // A sink that never answers this batch: only the client's own deadline ends the request.
                _slowArrived.TrySetResult();
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }

            foreach (var item in batch)
            {
                _received.Writer.TryWrite((context.Request.Path, context.Request.Headers[Routes.ApiKeyHeader].ToString(), item));
            }

            return Results.Ok();
        });
        await _sink.StartAsync();
    }

    public async Task DisposeAsync() => await _sink.DisposeAsync();

    [Theory]
    [InlineData("/sink")]
    [InlineData("/sink/")]
    public async Task Track_EndpointWithAPath_PostsToItsEventsWithTheKeyAndTheFunctionName(string path)
    {
        using var host = await StartAsync(new() { [SettingNames.AnalyticsEndpoint] = SinkUrl + path });

        host.Services.GetRequiredService<IAnalytics>().Track("hit");

        var (sentTo, key, item) = await NextAsync();
        Assert.Equal("/sink/events", sentTo);
        Assert.Equal(SinkKey, key);
        Assert.Equal("hit", item.Name);
        Assert.Equal("hello", item.Function);
    }

    [Fact]
    public async Task StartAsync_EndpointNotAnHttpUrl_FailsNamingTheSetting()
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(new() { [SettingNames.AnalyticsEndpoint] = "ftp://sink.test" }));

        Assert.Contains(SettingNames.AnalyticsEndpoint, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddEdgeStackAnalytics_SinkClient_GivesUpOnAHungSinkAfterTenSeconds()
    {
        using var host = await StartAsync(new() { [SettingNames.AnalyticsEndpoint] = SinkUrl });

        using var client = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient(AnalyticsClient.HttpClientName);

        Assert.Equal(TimeSpan.FromSeconds(10), client.Timeout);
    }

    [Fact]
    public async Task Track_TaskTimeoutCancelsThePump_CountsTheBatchInHandDroppedAndStillSendsWhatCameAfter()
    {
        using var host = await StartAsync(new()
        {
            [SettingNames.AnalyticsEndpoint] = SinkUrl,
            [SettingNames.TaskTimeoutSeconds] = "1",
        });
        using var dropped = Collect(host, "edgestack.analytics.dropped");
        var analytics = host.Services.GetRequiredService<IAnalytics>();
        analytics.Track("slow");
        await _slowArrived.Task.WaitAsync(s_timeout);

        analytics.Track("after");

        Assert.Equal("after", (await NextAsync()).Event.Name);
        Assert.Equal([1L], dropped.GetMeasurementSnapshot().Select(m => m.Value));
        Assert.Equal(1, DroppedReported(host));
    }

    [Fact]
    public async Task StopAsync_SinkHangsPastTheDrainBudget_CountsTheBatchInHandAndEveryBufferedEventDropped()
    {
        using var host = await StartAsync(new()
        {
            [SettingNames.AnalyticsEndpoint] = SinkUrl,
            [SettingNames.TerminationGracePeriodSeconds] = "4",
            [SettingNames.DrainBudgetSeconds] = "1",
        });
        using var dropped = Collect(host, "edgestack.analytics.dropped");
        var analytics = host.Services.GetRequiredService<IAnalytics>();
        analytics.Track("slow");
        await _slowArrived.Task.WaitAsync(s_timeout);
        analytics.Track("buffered-1");
        analytics.Track("buffered-2");

        await host.StopAsync();

        // Counted when the drain budget ends, before the host is disposed.
        await dropped.WaitForMeasurementsAsync(1).WaitAsync(s_timeout);
        Assert.Equal(3, dropped.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal(3, DroppedReported(host));
        Assert.Equal(0, _received.Reader.Count);
    }

    private string SinkUrl => _sink.Urls.First();

    /// <summary>The dropped events the client's drop reports (event 106) account for.</summary>
    private static long DroppedReported(IHost host) =>
        host.Services.GetFakeLogCollector().GetSnapshot().Where(r => r.Id.Id == 106)
            .Sum(r => long.Parse(r.StructuredState!.Single(s => s.Key == "DroppedEvents").Value!, System.Globalization.CultureInfo.InvariantCulture));

    private static MetricCollector<long> Collect(IHost host, string instrument) =>
        new(host.Services.GetRequiredService<IMeterFactory>(), AnalyticsClient.MeterName, instrument);

    private static async Task<IHost> StartAsync(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [SettingNames.AnalyticsKey] = SinkKey,
            [SettingNames.FunctionName] = "hello",
            [SettingNames.AnalyticsSection + ":" + nameof(AnalyticsOptions.LingerMilliseconds)] = "0",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders().AddFakeLogging();
        builder.AddEdgeRuntime();
        builder.AddEdgeStackAnalytics();
        var host = builder.Build();
        try
        {
            await host.StartAsync();
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    private async Task<(string Path, string? Key, AnalyticsEvent Event)> NextAsync() => await _received.Reader.ReadAsync().AsTask().WaitAsync(s_timeout);
}
