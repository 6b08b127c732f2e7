using Microsoft.Extensions.Hosting;

namespace EdgeStack.Runtime.Internal;

/// <summary>
/// Runs the SIGTERM sequence around the host's own stop: BeforeUnload and the readiness delay before the
/// listener stops; once in-flight requests have finished, the wait for background tasks. The drain budget
/// is enforced by a timer of its own, so a slow in-flight request cannot push the hand-off past the grace period.
/// BeforeUnload handlers run beside the sequence, never in its way: they get the drain budget, like background tasks.
/// </summary>
internal sealed class GracefulShutdownService(DefaultEdgeRuntime runtime, TimeProvider time) : IHostedLifecycleService, IDisposable
{
    private readonly Lock _gate = new();
    private Task<DrainOutcome>? _abandonment;
    private ITimer? _budgetTimer;
    private long _drainStarted;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        // Readiness went off when the stop began (ApplicationStopping or Retire).
        runtime.BeginStop(ShutdownReason.Termination);
        _drainStarted = time.GetTimestamp();
        var budget = runtime.DrainTimeLeft;
        _budgetTimer = time.CreateTimer(static s => ((GracefulShutdownService)s!).Abandon(), this, budget, Timeout.InfiniteTimeSpan);
        Log.DrainStarted(runtime.Logger, runtime.StopReason.ToWireName(), runtime.PendingTaskCount, (long)budget.TotalMilliseconds);
        runtime.RaiseBeforeUnload();
        runtime.EnterStopPhase("the readiness delay");

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

        runtime.EnterStopPhase("the server's stop (in-flight requests) or another hosted service's");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        // The server has stopped and in-flight requests have finished: only background work (and BeforeUnload handlers) is left.
        runtime.EnterStopPhase("the drain");
        var idle = runtime.Tracker.WaitForIdleAsync(runtime.DrainTimeLeft, CancellationToken.None);
        await runtime.WaitForBeforeUnloadHandlersAsync();
        var settled = await idle;
        bool budgetEnded;
        lock (_gate)
        {
            budgetEnded = _abandonment is not null;
        }

        // Settled or not, once the budget's timer has abandoned work its hand-offs are awaited: they are what makes it visible again at once.
        var outcome = settled && !budgetEnded ? default : await Abandon();
        outcome += await runtime.Tracker.WaitForLateHandOffsAsync();
        runtime.RecordAbandoned(outcome.Lost);
        _budgetTimer?.Dispose();

        // A fault still waiting to be awaited by its caller is reported now, before the process exits.
        runtime.Tracker.ReportUnobserved();

        var duration = time.GetElapsedTime(_drainStarted == 0 ? time.GetTimestamp() : _drainStarted);
        runtime.Metrics.Drained(duration);
        Log.DrainCompleted(runtime.Logger, (long)duration.TotalMilliseconds, outcome.Lost, outcome.HandedOff);
        runtime.EnterStopPhase("the host's disposal after the drain");
    }

    /// <summary>Ends the drain budget once, from the timer or from <see cref="StoppedAsync"/>, whichever comes first.</summary>
    private Task<DrainOutcome> Abandon()
    {
        lock (_gate)
        {
            var handOffBudget = runtime.GraceTimeLeft - runtime.Options.ExitMargin;
            return _abandonment ??= runtime.Tracker.AbandonPendingAsync(handOffBudget > TimeSpan.Zero ? handOffBudget : TimeSpan.Zero);
        }
    }

    public void Dispose() => _budgetTimer?.Dispose();
}
