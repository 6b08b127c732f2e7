using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using EdgeStack.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeStack.Azure.Internal;

/// <summary>
/// A function's receive loop on its own work queue: takes the messages other instances of the function handed off or
/// left behind (and retries), poisons what cannot run here, and runs the rest through
/// <see cref="IEdgeRuntime.RunDurable"/>, so drain finishes or hands back whatever is in flight when the host stops.
/// </summary>
/// <remarks>
/// Two bounds hold at once: <see cref="DurableQueueOptions.MaxConcurrency"/> items and
/// <see cref="DurableQueueOptions.MaxInFlightPayloadBytes"/> payload bytes. A received item whose payload does not fit
/// waits, its message kept hidden (the lease renewed), and nothing more is received until it runs; a staged payload
/// is downloaded only once admitted.
/// </remarks>
internal sealed class DurableWorkConsumer : BackgroundService
{
    /// <summary>The metric of the payload bytes the consumer holds: admitted items, staged payloads downloaded or not.</summary>
    public const string HeldBytesMetric = "edgestack.durable.payload_bytes_held";

    private static readonly TimeSpan s_minPoll = TimeSpan.FromMilliseconds(50);

    private readonly AzureQueueDurableWorkQueue _queue;
    private readonly IEdgeRuntime _runtime;
    private readonly IServiceProvider _services;
    private readonly IOptions<EdgeRuntimeOptions> _runtimeOptions;
    private readonly TimeProvider _time;
    private readonly ILogger<DurableWorkConsumer> _logger;
    private readonly UpDownCounter<long> _heldBytes;
    private readonly PayloadBudget _budget;

    // A field, not a local: continuations of running work release slots after the loop has ended.
    private SemaphoreSlim? _slots;
    private int _inFlight;

    public DurableWorkConsumer(
        AzureQueueDurableWorkQueue queue,
        IEdgeRuntime runtime,
        IServiceProvider services,
        IOptions<EdgeRuntimeOptions> runtimeOptions,
        IMeterFactory meters,
        TimeProvider time,
        ILogger<DurableWorkConsumer> logger)
    {
        _queue = queue;
        _runtime = runtime;
        _services = services;
        _runtimeOptions = runtimeOptions;
        _time = time;
        _logger = logger;
        _budget = new PayloadBudget(queue.Options.MaxInFlightPayloadBytes);
        _heldBytes = meters.Create(AnalyticsClient.MeterName)
            .CreateUpDownCounter<long>(HeldBytesMetric, "By", "Payload bytes of the durable work items the queue consumer holds (tag queue).");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = _queue.Options;
        var visibility = _runtimeOptions.Value.DurableVisibilityTimeout;
        var maxPoll = TimeSpan.FromMilliseconds(options.MaxPollIntervalMilliseconds);
        var slots = _slots = new SemaphoreSlim(options.MaxConcurrency, options.MaxConcurrency);
        var poll = s_minPoll;
        Log.ConsumerStarted(_logger, _queue.QueueName, options.MaxConcurrency, options.MaxInFlightPayloadBytes, (long)visibility.TotalMilliseconds);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                // Take as many messages as there are free slots, at least one.
                await slots.WaitAsync(stoppingToken);
                var taken = 1;
                while (taken < 32 && slots.Wait(0, CancellationToken.None))
                {
                    taken++;
                }

                IReadOnlyList<ReceivedWork> received;
                try
                {
                    received = await _queue.ReceiveUnloadedAsync(taken, visibility, stoppingToken);
                }
#pragma warning disable CA1031 // Whatever one pass hits (an outage, a bug), the worker backs off and keeps consuming.
                catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
#pragma warning restore CA1031
                {
                    slots.Release(taken);
                    poll = Grow(poll, maxPoll);
                    Log.ReceiveFailed(_logger, (long)poll.TotalMilliseconds, exception);
                    await Task.Delay(poll, _time, stoppingToken);
                    continue;
                }

                if (received.Count < taken)
                {
                    slots.Release(taken - received.Count);
                }

                await RunBatchAsync([.. received], visibility, stoppingToken);

                if (received.Count == 0)
                {
                    // An empty queue: back off up to the maximum poll interval; any message resets it.
                    poll = Grow(poll, maxPoll);
                    await Task.Delay(poll, _time, stoppingToken);
                }
                else
                {
                    poll = s_minPoll;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping: no more receives. A receive cut short leaves its messages hidden until their timeout.
        }

        // Drain, not this loop, owns the work still running.
        Log.ConsumerStopped(_logger, _queue.QueueName, Volatile.Read(ref _inFlight));
    }

    public override void Dispose()
    {
        _slots?.Dispose();
        base.Dispose();
    }

    /// <summary>Runs a received batch in order, each item once its payload fits the budget; at a stop, hands the rest back.</summary>
    private async Task RunBatchAsync(ReceivedWork[] batch, TimeSpan visibility, CancellationToken stoppingToken)
    {
        var keyed = _services.GetService<IServiceProviderIsKeyedService>();
        var maxDequeueCount = _queue.Options.MaxDequeueCount;
        var leasedAt = new StrongBox<long>(_time.GetTimestamp());
        for (var i = 0; i < batch.Length; i++)
        {
            var work = batch[i];
            var problem = work.Problem
                ?? (keyed?.IsKeyedService(typeof(IDurableWorkHandler), work.Item!.Handler) == true ? null : $"No handler named '{work.Item!.Handler}' runs here.")
                ?? (work.DequeueCount > maxDequeueCount ? $"Handed out {work.DequeueCount} times without finishing (at most {maxDequeueCount})." : null);
            if (problem is not null)
            {
                await PoisonAsync(work, problem);
                ReleaseSlot();
                continue;
            }

            try
            {
                if (!await AdmitAsync(batch, i, leasedAt, visibility, stoppingToken))
                {
                    // Another consumer holds the message now (its lease ran out): it is that consumer's to run.
                    ReleaseSlot();
                    continue;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                // Stopping while items wait for room: hand them back at once, so the next instance takes them.
                for (var j = i; j < batch.Length; j++)
                {
                    await HandBackAsync(batch[j]);
                    ReleaseSlot();
                }

                throw;
            }
#pragma warning disable CA1031 // A renewal or download that fails (an outage) costs this item a delay, not the loop: its message reappears after its visibility timeout.
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
#pragma warning restore CA1031
            {
                Log.ReceiveFailed(_logger, 0, exception);
                ReleaseSlot();
                continue;
            }

            Start(batch[i]);
        }
    }

    /// <summary>
    /// Waits until the item's payload fits; while it waits, every item still waiting in the batch has its lease renewed
    /// a third of the visibility timeout after the batch's last renewal, however often the budget frees and fills again.
    /// Then loads its payload.
    /// </summary>
    /// <returns>False when the item's lease was lost while it waited.</returns>
    private async Task<bool> AdmitAsync(ReceivedWork[] batch, int index, StrongBox<long> leasedAt, TimeSpan visibility, CancellationToken stoppingToken)
    {
        var renewEvery = TimeSpan.FromTicks(Math.Max(visibility.Ticks / 3, TimeSpan.TicksPerSecond));
        var waited = false;
        while (true)
        {
            var released = _budget.NextRelease();
            if (_budget.TryReserve(batch[index].PayloadBytes))
            {
                break;
            }

            if (!waited)
            {
                Log.WorkWaitsForBudget(_logger, batch[index].Item!.Id, batch[index].PayloadBytes, _budget.Held, _budget.Capacity);
                waited = true;
            }

            var untilRenewal = renewEvery - _time.GetElapsedTime(leasedAt.Value);
            if (untilRenewal <= TimeSpan.Zero)
            {
                // The items bound for poison later in the batch keep theirs too, so none reappears before it is handled.
                // The clock restarts before the first renewal: the next round is due a third of the timeout after the
                // earliest of them, however long this round takes.
                leasedAt.Value = _time.GetTimestamp();
                for (var j = index; j < batch.Length; j++)
                {
                    if (await _queue.RenewAsync(batch[j].Receipt, visibility, stoppingToken) is { } renewed)
                    {
                        batch[j] = batch[j] with { Receipt = renewed };
                    }
                }

                continue;
            }

            try
            {
                await released.WaitAsync(untilRenewal, _time, stoppingToken);
            }
            catch (TimeoutException)
            {
                // Time to renew: the next pass does it.
            }
        }

        var work = batch[index];
        _heldBytes.Add(work.PayloadBytes, new KeyValuePair<string, object?>("queue", _queue.QueueName));
        try
        {
            // The visibility timeout is the task timeout plus a few seconds' slack for the start: a run that starts later
            // than half that slack after its lease began renews it first, so it gets its whole window and runs only while
            // this consumer still holds the message (another consumer may have taken it once its lease ran out).
            if (waited || _time.GetElapsedTime(leasedAt.Value) > (visibility - _runtimeOptions.Value.TaskTimeout) / 2)
            {
                if (await _queue.RenewAsync(work.Receipt, visibility, stoppingToken) is not { } renewed)
                {
                    GiveBack(work.PayloadBytes);
                    return false;
                }

                work = work with { Receipt = renewed };
            }

            work = await _queue.LoadPayloadAsync(work, stoppingToken);
        }
        catch
        {
            GiveBack(work.PayloadBytes);
            throw;
        }

        batch[index] = work;
        return true;
    }

    private void Start(ReceivedWork work)
    {
        if (work.Problem is { } problem)
        {
            // The staged payload vanished between the receive and the download.
            _ = PoisonThenReleaseAsync(work, problem);
            return;
        }

        Interlocked.Increment(ref _inFlight);
        var running = _runtime.RunDurable(work.Item!, work.Receipt);
        _ = running.ContinueWith(
            _ =>
            {
                Interlocked.Decrement(ref _inFlight);
                GiveBack(work.PayloadBytes);
                ReleaseSlot();
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private async Task PoisonThenReleaseAsync(ReceivedWork work, string problem)
    {
        await PoisonAsync(work, problem);
        GiveBack(work.PayloadBytes);
        ReleaseSlot();
    }

    private void GiveBack(long bytes)
    {
        // The metric first: released first, the bytes could be reserved and counted by another item before this
        // decrement, and the metric would show more than the budget ever held (CI saw 5 MiB under a 4 MiB budget).
        _heldBytes.Add(-bytes, new KeyValuePair<string, object?>("queue", _queue.QueueName));
        _budget.Release(bytes);
    }

    private void ReleaseSlot()
    {
        try
        {
            _slots?.Release();
        }
        catch (ObjectDisposedException)
        {
            // The host is gone; nobody waits for a slot any more.
        }
    }

    private async Task HandBackAsync(ReceivedWork work)
    {
        try
        {
            await _queue.ReleaseAsync(work.Receipt, CancellationToken.None);
        }
#pragma warning disable CA1031 // The message reappears after its visibility timeout anyway.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Log.ReceiveFailed(_logger, 0, exception);
        }
    }

    private async Task PoisonAsync(ReceivedWork work, string problem)
    {
        try
        {
            await _queue.PoisonAsync(work, problem, CancellationToken.None);
        }
#pragma warning disable CA1031 // The message reappears after its visibility timeout and is poisoned then.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Log.ReceiveFailed(_logger, 0, exception);
        }
    }

    private static TimeSpan Grow(TimeSpan poll, TimeSpan max) => poll * 2 < max ? poll * 2 : max;
}
