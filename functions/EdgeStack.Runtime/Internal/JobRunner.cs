using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EdgeStack.Runtime.Internal;

/// <summary>One run of a scheduled function: start, the work, its background work, stop; the outcome as an exit code.</summary>
internal sealed class JobRunner(IHost host, DefaultEdgeRuntime runtime)
{
    public const int Succeeded = 0;
    public const int Failed = 1;

    /// <summary>The name the run's own work is tracked under once a stop begins, so the drain waits for it like an in-flight request.</summary>
    public const string WorkTaskName = "job";

    /// <summary>How long one wait for the background work lasts before the next; a wait needs a finite timeout.</summary>
    private static readonly TimeSpan IdleWaitSlice = TimeSpan.FromHours(1);

    public async Task<int> RunAsync(Func<IServiceProvider, CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        var time = host.Services.GetRequiredService<TimeProvider>();
        await host.StartAsync(cancellationToken);
        var started = time.GetTimestamp();
        Log.JobStarted(runtime.Logger);

        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping, cancellationToken);
        var run = RunWorkAsync(work, stopping.Token);

        // A stop (SIGTERM, wall_clock, the caller's token) makes the drain wait for the work as for an in-flight request.
        using var trackOnStop = stopping.Token.Register(() => runtime.WaitUntil(run, WorkTaskName));
        using var stopOnCancel = cancellationToken.Register(lifetime.StopApplication);

        // WaitUntil work is awaited before exit; each task's own timeout bounds it, and a stop turns the wait into the drain.
        try
        {
            await run.WaitAsync(stopping.Token);
            while (!await runtime.Tracker.WaitForIdleAsync(IdleWaitSlice, stopping.Token) && !stopping.IsCancellationRequested)
            {
                // Still busy: wait on. Tasks that ignore their token end at the latest with wall_clock before the replica timeout.
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopped while running: the drain below takes over.
        }

        // The stop's own token, not only the runtime's flag: ApplicationStopping runs its callbacks newest first, so this
        // run's token is cancelled (and the work may have ended of it) before the runtime's registration marks the stop.
        var completed = run.IsCompleted && runtime.PendingTaskCount == 0 && !stopping.IsCancellationRequested && !runtime.IsStopping;
        if (completed)
        {
            runtime.EndWithoutBeforeUnload();
        }

        await host.StopAsync(CancellationToken.None);

        var duration = time.GetElapsedTime(started);
        if (!run.IsCompleted)
        {
            Log.JobInterrupted(runtime.Logger, runtime.StopReason.ToWireName(), (long)duration.TotalMilliseconds);
            return Failed;
        }

        if (await run is { } failure)
        {
            if (failure is OperationCanceledException && stopping.IsCancellationRequested)
            {
                Log.JobInterrupted(runtime.Logger, runtime.StopReason.ToWireName(), (long)duration.TotalMilliseconds);
            }
            else
            {
                Log.JobFailed(runtime.Logger, (long)duration.TotalMilliseconds, failure);
            }

            return Failed;
        }

        if (runtime.UnhandledFaultCount > 0 || runtime.AbandonedTaskCount > 0)
        {
            Log.JobBackgroundFailed(runtime.Logger, runtime.UnhandledFaultCount, runtime.AbandonedTaskCount, (long)duration.TotalMilliseconds);
            return Failed;
        }

        Log.JobCompleted(runtime.Logger, (long)duration.TotalMilliseconds);
        return Succeeded;
    }

    /// <summary>Runs the work in a scope of its own; its failure is the run's outcome, not a background fault.</summary>
    private async Task<Exception?> RunWorkAsync(Func<IServiceProvider, CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            await using var scope = host.Services.CreateAsyncScope();
            await work(scope.ServiceProvider, cancellationToken);
            return null;
        }
#pragma warning disable CA1031 // Any failure of the work is the run's outcome: logged once and turned into the exit code.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            return exception;
        }
    }
}
