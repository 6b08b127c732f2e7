using System.Diagnostics.Metrics;
using System.Net.Http.Json;
using System.Threading.Channels;
using EdgeStack.Contracts;
using EdgeStack.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeStack.Azure.Internal;

/// <summary>
/// Buffers events in a bounded channel and sends them in batches from a pump started with <see cref="IEdgeRuntime.WaitUntil(Func{CancellationToken, Task}, string?)"/>:
/// the pump runs while there are events and ends when the buffer is empty, so drain waits for exactly the events still buffered.
/// </summary>
internal sealed class AnalyticsClient : IAnalytics, IDisposable
{
    public const string HttpClientName = "EdgeStack.Analytics";
    public const string MeterName = "EdgeStack.Azure";
    public const string PumpTaskName = "analytics";

    private readonly AnalyticsOptions _options;
    private readonly string? _function;
    private readonly IEdgeRuntime _runtime;
    private readonly IHttpClientFactory _httpClients;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<AnalyticsEvent> _buffer;
    private readonly Uri? _eventsUri;
    private readonly TimeSpan _maxPumpLifetime;
    private readonly Counter<long> _tracked;
    private readonly Counter<long> _sent;
    private readonly Counter<long> _dropped;

    // Cancelled by BeforeUnload: ends a linger already under way, not only the ones that start after it. Never disposed:
    // it has no timer, and a pump may still read its token after Dispose.
    private readonly CancellationTokenSource _unloading = new();
    private long _droppedSinceLog;
    private long _lastDropLog;
    private int _pumping;
    private volatile bool _draining;

    public AnalyticsClient(
        IOptions<AnalyticsOptions> options,
        IOptions<FunctionOptions> function,
        IOptions<EdgeRuntimeOptions> runtimeOptions,
        IEdgeRuntime runtime,
        IHttpClientFactory httpClients,
        TimeProvider time,
        IMeterFactory meters,
        ILogger<AnalyticsClient> logger)
    {
        _options = options.Value;
        _function = function.Value.Name;
        _runtime = runtime;
        _httpClients = httpClients;
        _time = time;
        _logger = logger;
        var meter = meters.Create(MeterName);
        _tracked = meter.CreateCounter<long>("edgestack.analytics.tracked", "{event}", "Analytics events tracked.");
        _sent = meter.CreateCounter<long>("edgestack.analytics.sent", "{event}", "Analytics events the sink accepted.");
        _dropped = meter.CreateCounter<long>("edgestack.analytics.dropped", "{event}", "Analytics events dropped: buffer full or sink unreachable.");
        _buffer = Channel.CreateBounded<AnalyticsEvent>(
            new BoundedChannelOptions(_options.Capacity)
            {
                // Drop the newest: Track never waits, memory stays bounded, and the buffered prefix still goes out in order.
                FullMode = BoundedChannelFullMode.DropWrite,
                SingleReader = true,
                SingleWriter = false,
            },
            OnDropped);

        // A pump hands over to a fresh one well before the runtime's per-task timeout would cancel it.
        _maxPumpLifetime = runtimeOptions.Value.TaskTimeout / 2;
        if (string.IsNullOrWhiteSpace(_options.Endpoint))
        {
            Log.AnalyticsDisabled(logger);
        }
        else
        {
            _eventsUri = new Uri(new Uri(_options.Endpoint.TrimEnd('/') + "/"), "events");
        }

        runtime.BeforeUnload += OnBeforeUnload;
    }

    public int Buffered => _buffer.Reader.Count;

    public void Track(string name, IReadOnlyDictionary<string, string>? properties = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (_eventsUri is null)
        {
            return;
        }

        _tracked.Add(1);
        _buffer.Writer.TryWrite(new AnalyticsEvent(name, _time.GetUtcNow(), _function, properties));
        EnsurePump();
    }

    public void Dispose()
    {
        _runtime.BeforeUnload -= OnBeforeUnload;

        // Whatever is still buffered when the app is gone will never be sent: count it as dropped.
        var left = 0;
        while (_buffer.Reader.TryRead(out _))
        {
            left++;
        }

        if (left > 0)
        {
            _dropped.Add(left);
            Interlocked.Add(ref _droppedSinceLog, left);
        }

        // The last word on drops, whatever the interval: every dropped event is in a log line.
        ReportDrops(force: true);
    }

    private void OnBeforeUnload(object? sender, BeforeUnloadEventArgs e)
    {
        // From now on send at once: the drain budget is better spent sending than lingering.
        _draining = true;
        _unloading.Cancel();
    }

    private void EnsurePump()
    {
        if (Interlocked.CompareExchange(ref _pumping, 1, 0) == 0)
        {
            _runtime.WaitUntil(PumpAsync, PumpTaskName);
        }
    }

    private async Task PumpAsync(CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var batch = new List<AnalyticsEvent>(_options.MaxBatchSize);
        try
        {
            while (true)
            {
                await FillAsync(batch, cancellationToken);
                if (batch.Count == 0)
                {
                    return;
                }

                await SendAsync(batch, cancellationToken);
                batch.Clear();
                if (_time.GetElapsedTime(started) >= _maxPumpLifetime)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Timed out or abandoned at the end of the drain budget: the batch in hand and, once the instance drains, what is
            // still buffered are lost; they are counted and reported, never dropped silently.
            var lost = batch.Count;
            while (_draining && _buffer.Reader.TryRead(out _))
            {
                lost++;
            }

            Interlocked.Add(ref _droppedSinceLog, lost);
            ReportDrops(force: true);
            _dropped.Add(lost);
            throw;
        }
        finally
        {
            Interlocked.Exchange(ref _pumping, 0);
            if (_buffer.Reader.Count > 0 && (!cancellationToken.IsCancellationRequested || !_draining))
            {
                // Events arrived after this pump decided to stop, it handed over, or it timed out while the instance
                // still serves (a slow sink): start the next one, so nothing waits in the buffer for a Track that never comes.
                EnsurePump();
            }
            else
            {
                // The buffer has drained: drops the interval held back are reported now, not at some later drop.
                ReportDrops(force: true);
            }
        }
    }

    private async Task FillAsync(List<AnalyticsEvent> batch, CancellationToken cancellationToken)
    {
        var reader = _buffer.Reader;
        while (batch.Count < _options.MaxBatchSize && reader.TryRead(out var item))
        {
            batch.Add(item);
        }

        if (batch.Count == _options.MaxBatchSize || _draining || _options.LingerMilliseconds <= 0)
        {
            return;
        }

        // On the app's clock, so the linger is one more deadline a test can move.
        using var lingerTimeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(_options.LingerMilliseconds), _time);
        using var linger = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lingerTimeout.Token, _unloading.Token);
        try
        {
            // A drain that begins now cancels the linger through _unloading, whether or not the wait has started.
            while (batch.Count < _options.MaxBatchSize && await reader.WaitToReadAsync(linger.Token))
            {
                while (batch.Count < _options.MaxBatchSize && reader.TryRead(out var item))
                {
                    batch.Add(item);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The linger ended, or the instance began to drain: send what there is.
        }
    }

    private async Task SendAsync(List<AnalyticsEvent> batch, CancellationToken cancellationToken)
    {
        using var client = _httpClients.CreateClient(HttpClientName);
        Exception? last = null;
        var attempts = 0;
        for (var attempt = 1; attempt <= _options.MaxSendAttempts; attempt++)
        {
            attempts = attempt;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, _eventsUri)
                {
                    Content = JsonContent.Create(batch, AzureJsonContext.Default.ListAnalyticsEvent),
                };
                if (!string.IsNullOrEmpty(_options.Key))
                {
                    request.Headers.TryAddWithoutValidation(Routes.ApiKeyHeader, _options.Key);
                }

                using var response = await client.SendAsync(request, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    _sent.Add(batch.Count);
                    Log.AnalyticsBatchSent(_logger, batch.Count);
                    return;
                }

                last = new HttpRequestException($"The sink answered {(int)response.StatusCode}.", null, response.StatusCode);
                if ((int)response.StatusCode is >= 400 and < 500 and not 408 and not 429)
                {
                    // The sink refuses this batch (bad key, bad events): another try gets the same answer.
                    break;
                }
            }
            catch (HttpRequestException exception)
            {
                last = exception;
            }
            catch (TaskCanceledException exception) when (!cancellationToken.IsCancellationRequested)
            {
                last = exception;
            }

            if (attempt < _options.MaxSendAttempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100 * Math.Pow(2, attempt - 1)), _time, cancellationToken);
            }
        }

        _dropped.Add(batch.Count);
        Log.AnalyticsSendFailed(_logger, batch.Count, attempts, last);
    }

    private void OnDropped(AnalyticsEvent dropped)
    {
        _dropped.Add(1);
        Interlocked.Increment(ref _droppedSinceLog);
        ReportDrops(force: false);
    }

    /// <summary>Logs the drops since the last report: at most once per interval while drops go on, at once when forced.</summary>
    private void ReportDrops(bool force)
    {
        if (Volatile.Read(ref _droppedSinceLog) == 0)
        {
            return;
        }

        var now = _time.GetTimestamp();
        var last = Volatile.Read(ref _lastDropLog);
        var interval = (long)(_options.DropLogIntervalSeconds * _time.TimestampFrequency);
        if ((force || last == 0 || now - last >= interval) && Interlocked.CompareExchange(ref _lastDropLog, now, last) == last)
        {
            var count = Interlocked.Exchange(ref _droppedSinceLog, 0);
            if (count > 0)
            {
                Log.AnalyticsEventsDropped(_logger, count);
            }
        }
    }
}
