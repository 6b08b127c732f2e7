using Microsoft.Extensions.Logging;

namespace EdgeStack.Runtime.Internal;

/// <summary>The runtime's log events; ids are fixed and tests assert on them.</summary>
internal static partial class Log
{
    public const string Category = "EdgeStack.Runtime";

    [LoggerMessage(1, LogLevel.Error, "Background task {TaskName} failed and no UnhandledRejection handler handled it.", EventName = "TaskFailed")]
    public static partial void TaskFailed(ILogger logger, string taskName, Exception exception);

    [LoggerMessage(2, LogLevel.Warning, "Background task {TaskName} passed its timeout of {TimeoutSeconds} s; its token was cancelled.", EventName = "TaskTimedOut")]
    public static partial void TaskTimedOut(ILogger logger, string taskName, double timeoutSeconds);

    [LoggerMessage(3, LogLevel.Warning, "Background task {TaskName} did not settle within the drain budget and was abandoned.", EventName = "TaskAbandoned")]
    public static partial void TaskAbandoned(ILogger logger, string taskName);

    [LoggerMessage(4, LogLevel.Information, "Draining for {Reason}: {PendingTasks} background tasks pending, {TimeLeftMs} ms of drain budget left.", EventName = "DrainStarted")]
    public static partial void DrainStarted(ILogger logger, string reason, int pendingTasks, long timeLeftMs);

    [LoggerMessage(5, LogLevel.Information, "Drain finished in {DurationMs} ms: {LostTasks} background tasks lost (abandoned, not handed off), {HandedOffTasks} handed off to the queue to finish elsewhere.", EventName = "DrainCompleted")]
    public static partial void DrainCompleted(ILogger logger, long durationMs, int lostTasks, int handedOffTasks);

    [LoggerMessage(6, LogLevel.Error, "A BeforeUnload handler threw.", EventName = "BeforeUnloadHandlerFailed")]
    public static partial void BeforeUnloadHandlerFailed(ILogger logger, Exception exception);

    [LoggerMessage(7, LogLevel.Error, "An UnhandledRejection handler threw while handling background task {TaskName}.", EventName = "UnhandledRejectionHandlerFailed")]
    public static partial void UnhandledRejectionHandlerFailed(ILogger logger, string taskName, Exception exception);

    [LoggerMessage(8, LogLevel.Warning, "Soft limit {Reason} reached ({Value} of {Limit}); retiring the instance.", EventName = "SoftLimitReached")]
    public static partial void SoftLimitReached(ILogger logger, string reason, double value, double limit);

    [LoggerMessage(9, LogLevel.Information, "Background task {TaskName} was handed off to the queue.", EventName = "TaskHandedOff")]
    public static partial void TaskHandedOff(ILogger logger, string taskName);

    [LoggerMessage(10, LogLevel.Error, "Background task {TaskName} could not be handed off to the queue; the queue makes it visible again when its lease expires.", EventName = "HandOffFailed")]
    public static partial void HandOffFailed(ILogger logger, string taskName, Exception exception);

    [LoggerMessage(11, LogLevel.Information, "Retiring the instance: {Reason}.", EventName = "Retiring")]
    public static partial void Retiring(ILogger logger, string reason);

    [LoggerMessage(12, LogLevel.Debug, "Background task {TaskName} failed; an UnhandledRejection handler handled it.", EventName = "TaskFailureHandled")]
    public static partial void TaskFailureHandled(ILogger logger, string taskName);

    [LoggerMessage(13, LogLevel.Information, "Readiness is off; the listener keeps accepting for {DelayMs} ms so the platform can stop routing.", EventName = "ReadinessDelay")]
    public static partial void ReadinessDelay(ILogger logger, long delayMs);

    [LoggerMessage(14, LogLevel.Information, "BeforeUnload raised: {Reason}, {TimeLeftMs} ms of drain budget left.", EventName = "BeforeUnloadRaised")]
    public static partial void BeforeUnloadRaised(ILogger logger, string reason, long timeLeftMs);

    [LoggerMessage(16, LogLevel.Warning, "BeforeUnload handler {Handler} was still running when its time ({BudgetMs} ms) was up; the stop went on without it.", EventName = "BeforeUnloadHandlerTimedOut")]
    public static partial void BeforeUnloadHandlerTimedOut(ILogger logger, string handler, long budgetMs);

    [LoggerMessage(17, LogLevel.Debug, "Background task {TaskName} failed; its caller awaited it, which handles the failure.", EventName = "TaskFailureObserved")]
    public static partial void TaskFailureObserved(ILogger logger, string taskName);

    [LoggerMessage(19, LogLevel.Information, "Stopping ({Reason}) while the host is still starting: the start is cancelled before anything served, and the process exits with code 0.", EventName = "StoppedWhileStarting")]
    public static partial void StoppedWhileStarting(ILogger logger, string reason);

    [LoggerMessage(18, LogLevel.Error, "The stop overran: {Phase} after {ElapsedMs} ms; exiting now, before the grace period of {GraceSeconds} s ends.", EventName = "StopOverran")]
    public static partial void StopOverran(ILogger logger, string phase, long elapsedMs, int graceSeconds);

    [LoggerMessage(15, LogLevel.Error, "A cancellation callback of background task {TaskName} threw; the other tasks are cancelled regardless.", EventName = "CancellationCallbackFailed")]
    public static partial void CancellationCallbackFailed(ILogger logger, string taskName, Exception exception);

    // 30–39: a scheduled function's run (RunJobAsync).
    [LoggerMessage(30, LogLevel.Information, "Run started.", EventName = "JobStarted")]
    public static partial void JobStarted(ILogger logger);

    [LoggerMessage(31, LogLevel.Information, "Run completed in {DurationMs} ms.", EventName = "JobCompleted")]
    public static partial void JobCompleted(ILogger logger, long durationMs);

    [LoggerMessage(32, LogLevel.Error, "Run failed after {DurationMs} ms; the exit code is non-zero so the platform retries it.", EventName = "JobFailed")]
    public static partial void JobFailed(ILogger logger, long durationMs, Exception exception);

    [LoggerMessage(33, LogLevel.Warning, "Run stopped by {Reason} after {DurationMs} ms before its work finished; the exit code is non-zero so the platform retries it.", EventName = "JobInterrupted")]
    public static partial void JobInterrupted(ILogger logger, string reason, long durationMs);

    [LoggerMessage(34, LogLevel.Error, "Run's work finished but its background work did not: {FailedTasks} tasks failed unhandled, {AbandonedTasks} abandoned after {DurationMs} ms; the exit code is non-zero.", EventName = "JobBackgroundFailed")]
    public static partial void JobBackgroundFailed(ILogger logger, int failedTasks, int abandonedTasks, long durationMs);
}
