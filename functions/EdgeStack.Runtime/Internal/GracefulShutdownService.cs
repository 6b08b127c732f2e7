using Microsoft.Extensions.Hosting;

namespace EdgeStack.Runtime.Internal;

/// <summary>
/// Runs the SIGTERM sequence around the host's own stop: BeforeUnload and the readiness delay before the
/// listener stops; once in-flight requests have finished, the wait for background tasks, then the hand-off.
/// </summary>
internal sealed class GracefulShutdownService(DefaultEdgeRuntime runtime, TimeProvider time) : IHostedLifecycleService
{
    private long _drainStarted;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        // Readiness went off when the stop began (ApplicationStopping or Retire).
        runtime.BeginStop(ShutdownReason.Termination);
        _drainStarted = time.GetTimestamp();
        Log.DrainStarted(runtime.Logger, runtime.StopReason.ToWireName(), runtime.PendingTaskCount, (long)runtime.DrainTimeLeft.TotalMilliseconds);
        runtime.RaiseBeforeUnload();

        var delay = TimeSpan.FromSeconds(runtime.Options.ReadinessDelaySeconds);
        if (delay > TimeSpan.Zero)
        {
            Log.ReadinessDelay(runtime.Logger, (long)delay.TotalMilliseconds);
            try
            {
                await Task.Delay(delay, time, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The host's shutdown timeout ended the delay; carry on stopping.
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        // The server has stopped and in-flight requests have finished: only background work is left.
        var settled = await runtime.Tracker.WaitForIdleAsync(runtime.DrainTimeLeft, cancellationToken);
        var abandonedCount = 0;
        var handedOff = 0;
        if (!settled)
        {
            var abandoned = runtime.Tracker.AbandonPending();
            abandonedCount = abandoned.Count;
            var results = await Task.WhenAll(abandoned.Select(entry => HandOffAsync(entry, cancellationToken)));
            handedOff = results.Count(r => r);
        }

        var duration = time.GetElapsedTime(_drainStarted == 0 ? time.GetTimestamp() : _drainStarted);
        runtime.Metrics.Drained(duration);
        Log.DrainCompleted(runtime.Logger, (long)duration.TotalMilliseconds, abandonedCount, handedOff);
    }

    private async Task<bool> HandOffAsync(TrackedTask entry, CancellationToken cancellationToken)
    {
        if (entry.HandOff is null)
        {
            Log.TaskAbandoned(runtime.Logger, entry.DisplayName);
            return false;
        }

        try
        {
            await entry.HandOff(cancellationToken);
            runtime.Metrics.HandedOff();
            Log.TaskHandedOff(runtime.Logger, entry.DisplayName);
            return true;
        }
#pragma warning disable CA1031 // One failed hand-off must not stop the others; the lease expiry still returns the work.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Log.HandOffFailed(runtime.Logger, entry.DisplayName, exception);
            return false;
        }
    }
}
