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
internal sealed class DurableWorkConsumer(
    AzureQueueDurableWorkQueue queue,
    IEdgeRuntime runtime,
    IServiceProvider services,
    IOptions<EdgeRuntimeOptions> runtimeOptions,
    TimeProvider time,
    ILogger<DurableWorkConsumer> logger) : BackgroundService
{
    private static readonly TimeSpan s_minPoll = TimeSpan.FromMilliseconds(50);

    // A field, not a local: continuations of running work release slots after the loop has ended.
    private SemaphoreSlim? _slots;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = queue.Options;
        var visibility = runtimeOptions.Value.DurableVisibilityTimeout;
        var maxPoll = TimeSpan.FromMilliseconds(options.MaxPollIntervalMilliseconds);
        var keyed = services.GetService<IServiceProviderIsKeyedService>();
        var slots = _slots = new SemaphoreSlim(options.MaxConcurrency, options.MaxConcurrency);
        var inFlight = 0;
        var poll = s_minPoll;
        Log.ConsumerStarted(logger, queue.QueueName, options.MaxConcurrency, (long)visibility.TotalMilliseconds);
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

                var (received, failure) = await TryReceiveAsync(taken, visibility, stoppingToken);
                if (failure is not null)
                {
                    // Whatever one pass hits (an outage, a bug), the worker backs off and keeps consuming.
                    slots.Release(taken);
                    poll = Grow(poll, maxPoll);
                    Log.ReceiveFailed(logger, (long)poll.TotalMilliseconds, failure);
                    await Task.Delay(poll, time, stoppingToken);
                    continue;
                }

                if (received.Count < taken)
                {
                    slots.Release(taken - received.Count);
                }

                foreach (var work in received)
                {
                    var problem = work.Problem
                        ?? (keyed?.IsKeyedService(typeof(IDurableWorkHandler), work.Item!.Handler) == true ? null : $"No handler named '{work.Item!.Handler}' runs here.")
                        ?? (work.DequeueCount > options.MaxDequeueCount ? $"Handed out {work.DequeueCount} times without finishing (at most {options.MaxDequeueCount})." : null);
                    if (problem is not null)
                    {
                        await PoisonAsync(work, problem);
                        slots.Release();
                        continue;
                    }

                    Interlocked.Increment(ref inFlight);
                    var running = runtime.RunDurable(work.Item!, work.Receipt);
                    _ = running.ContinueWith(
                        _ =>
                        {
                            Interlocked.Decrement(ref inFlight);
                            try
                            {
                                slots.Release();
                            }
                            catch (ObjectDisposedException)
                            {
                                // The host is gone; nobody waits for a slot any more.
                            }
                        },
                        CancellationToken.None,
                        TaskContinuationOptions.ExecuteSynchronously,
                        TaskScheduler.Default);
                }

                if (received.Count == 0)
                {
                    // An empty queue: back off up to the maximum poll interval; any message resets it.
                    poll = Grow(poll, maxPoll);
                    await Task.Delay(poll, time, stoppingToken);
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
        Log.ConsumerStopped(logger, queue.QueueName, Volatile.Read(ref inFlight));
    }

    public override void Dispose()
    {
        _slots?.Dispose();
        base.Dispose();
    }

    private async Task<(IReadOnlyList<ReceivedWork> Received, Exception? Failure)> TryReceiveAsync(int count, TimeSpan visibility, CancellationToken stoppingToken)
    {
        try
        {
            return (await queue.ReceiveAsync(count, visibility, stoppingToken), null);
        }
#pragma warning disable CA1031 // The loop backs off on any failure; only our own stop ends it.
        catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            return ([], exception);
        }
    }

    private async Task PoisonAsync(ReceivedWork work, string problem)
    {
        try
        {
            await queue.PoisonAsync(work, problem, CancellationToken.None);
        }
#pragma warning disable CA1031 // The message reappears after its visibility timeout and is poisoned then.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Log.ReceiveFailed(logger, 0, exception);
        }
    }

    private static TimeSpan Grow(TimeSpan poll, TimeSpan max) => poll * 2 < max ? poll * 2 : max;
}
