using Microsoft.Extensions.Logging;

namespace EdgeStack.Runtime.Internal;

/// <summary>
/// Holds every background task until it settles: a continuation on each task reports faults promptly,
/// one timer enforces the per-task timeout, and drain waits for the last task without polling.
/// </summary>
/// <remarks>
/// A fault is reported as unhandled only if nobody observes it within <see cref="ObservationWindow"/>: a caller that
/// awaits the task (or waits on it) rethrows its exception, which the first-chance notification shows; like awaiting a
/// promise in JavaScript, that handles it.
/// </remarks>
internal sealed class BackgroundTaskTracker : IDisposable
{
    /// <summary>How long a fault waits to be observed by an awaiter before it is reported as unhandled.</summary>
    public static readonly TimeSpan ObservationWindow = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;
    private readonly long _timeoutTicks;
    private readonly EdgeRuntimeMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Action<string?, Exception> _onFault;
    private readonly ITimer _timeoutScan;
    // Newest at the head, oldest at the tail: with one timeout for all, deadlines grow from tail to head.
    private TrackedTask? _head;
    private TrackedTask? _tail;
    private int _pending;
    private TaskCompletionSource? _idle;
    private bool _abandoning;
    private long _handOffDeadline;
    private readonly List<Task<bool>> _lateHandOffs = [];
    private readonly List<Rejection> _unobserved = [];
    private int _unobservedCount;

    public BackgroundTaskTracker(TimeProvider time, TimeSpan timeout, EdgeRuntimeMetrics metrics, ILogger logger, Action<string?, Exception> onFault)
    {
        _time = time;
        _timeout = timeout;
        _timeoutTicks = (long)(timeout.TotalSeconds * time.TimestampFrequency);
        _metrics = metrics;
        _logger = logger;
        _onFault = onFault;
        var period = TimeSpan.FromTicks(Math.Clamp(timeout.Ticks / 4, TimeSpan.TicksPerMillisecond * 50, TimeSpan.TicksPerSecond));
        _timeoutScan = time.CreateTimer(static s => ((BackgroundTaskTracker)s!).CancelExpired(), this, period, period);
        AppDomain.CurrentDomain.FirstChanceException += OnFirstChanceException;
    }

    public int PendingCount => Volatile.Read(ref _pending);

    /// <summary>Tracks a task that is already running.</summary>
    /// <returns>A task that completes as <paramref name="task"/> does, once it is settled here (the same task if it already completed).</returns>
    public Task Track(Task task, string? name) => Track(task, name, entry: null);

    /// <summary>Starts work with a token that fires at its timeout or when drain abandons it, and tracks it.</summary>
    public Task Run(Func<CancellationToken, Task> work, string? name, Func<CancellationToken, Task>? handOff = null)
    {
        var entry = new TrackedWork(this, name, work, handOff);
        return Track(entry.Start(), name, entry);
    }

    private Task Track(Task task, string? name, TrackedTask? entry)
    {
        _metrics.Started();
        if (task.IsCompleted)
        {
            // Fast path: nothing to wait for, nothing to link; a fault still gets its observation window.
            if (task.Status == TaskStatus.RanToCompletion)
            {
                _metrics.Completed();
                return task;
            }

            lock (_gate)
            {
                _pending++;
            }

            Settle(task, name, TrackedTask.Running);
            return task;
        }

        entry ??= new TrackedTask(this, name, task);
        bool abandoning;
        lock (_gate)
        {
            entry.Deadline = _time.GetTimestamp() + _timeoutTicks;
            abandoning = _abandoning;
            if (abandoning)
            {
                entry.State = TrackedTask.Abandoned;
            }

            entry.Next = _head;
            if (_head is not null)
            {
                _head.Previous = entry;
            }
            else
            {
                _tail = entry;
            }

            _head = entry;
            _pending++;
        }

        if (abandoning)
        {
            // Drain already gave up on the stragglers; work scheduled now gets the same treatment, hand-off included.
            Cancel(entry);
            var handOffLeft = _time.GetElapsedTime(_time.GetTimestamp(), _handOffDeadline);
            var lateHandOff = HandOffAsync(entry, handOffLeft > TimeSpan.Zero ? handOffLeft : TimeSpan.Zero);
            lock (_gate)
            {
                _lateHandOffs.Add(lateHandOff);
            }
        }

        task.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(entry.OnCompleted);
        return entry.Task;
    }

    internal void OnCompleted(TrackedTask entry)
    {
        int state;
        lock (_gate)
        {
            state = entry.State;
            if (entry.Previous is not null)
            {
                entry.Previous.Next = entry.Next;
            }
            else
            {
                _head = entry.Next;
            }

            if (entry.Next is not null)
            {
                entry.Next.Previous = entry.Previous;
            }
            else
            {
                _tail = entry.Previous;
            }

            entry.Previous = entry.Next = null;
        }

        Settle(entry.Tracked, entry.Name, state, entry.Task);

        // Only now may the caller see the outcome: a fault is watched before anyone can await it.
        var task = entry.Tracked;
        if (task.IsFaulted)
        {
            entry.TrySetException(task.Exception!.InnerExceptions);
        }
        else if (task.IsCanceled)
        {
            entry.TrySetCanceled();
        }
        else
        {
            entry.TrySetResult();
        }
    }

    /// <summary>Counts a settled task; a fault first waits for its observation window (it stops counting as pending once reported, so drain never exits mid-report).</summary>
    private void Settle(Task task, string? name, int state, Task? visible = null)
    {
        if (task.IsFaulted)
        {
            var exception = task.Exception!.InnerExceptions.Count == 1 ? task.Exception.InnerException! : task.Exception;
            if (state != TrackedTask.Running && exception is OperationCanceledException)
            {
                // Our own timeout or drain cancelled it: already counted, not a failure.
                _metrics.Settled();
                Release();
                return;
            }

            Watch(visible ?? task, name, exception);
            return;
        }

        if (task.IsCanceled && state == TrackedTask.Running)
        {
            // Cancelled by a token that is not ours (an HttpClient timeout, say): a rejection like any other.
            // Read before the watch starts, so this rethrow does not count as the caller's.
            try
            {
                task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException exception)
            {
                Watch(visible ?? task, name, exception);
                return;
            }
        }

        if (task.Status == TaskStatus.RanToCompletion)
        {
            _metrics.Completed();
        }
        else
        {
            _metrics.Settled();
        }

        Release();
    }

    /// <summary>Gives a fault its observation window; an awaiter's rethrow reports it as observed at once, the window's end as unhandled.</summary>
    private void Watch(Task task, string? name, Exception exception)
    {
        var rejection = new Rejection(this, task, name, exception);
        lock (_gate)
        {
            _unobserved.Add(rejection);
            Volatile.Write(ref _unobservedCount, _unobserved.Count);
        }

        rejection.Timer = _time.CreateTimer(static s => ((Rejection)s!).Report(observed: false), rejection, ObservationWindow, Timeout.InfiniteTimeSpan);
    }

    private void OnFirstChanceException(object? sender, System.Runtime.ExceptionServices.FirstChanceExceptionEventArgs e)
    {
        if (Volatile.Read(ref _unobservedCount) == 0)
        {
            return;
        }

        Rejection? observed = null;
        lock (_gate)
        {
            foreach (var rejection in _unobserved)
            {
                if (rejection.IsRethrownBy(e.Exception))
                {
                    observed = rejection;
                    break;
                }
            }
        }

        // Not here: this runs inside the caller's throw. Report from the thread pool.
        if (observed is not null)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static r => r.Report(observed: true), observed, preferLocal: false);
        }
    }

    /// <summary>Reports every fault still in its observation window as unhandled now: the drain is ending.</summary>
    public void ReportUnobserved()
    {
        Rejection[] left;
        lock (_gate)
        {
            left = [.. _unobserved];
        }

        foreach (var rejection in left)
        {
            rejection.Report(observed: false);
        }
    }

    private void OnRejectionSettled(Rejection rejection, bool observed)
    {
        lock (_gate)
        {
            if (!_unobserved.Remove(rejection))
            {
                return; // Reported already, by the other of the timer and the awaiter.
            }

            Volatile.Write(ref _unobservedCount, _unobserved.Count);
        }

        rejection.Timer?.Dispose();
        _metrics.Failed();
        if (observed)
        {
            Log.TaskFailureObserved(_logger, rejection.Name ?? "(unnamed)");
        }
        else
        {
            _onFault(rejection.Name, rejection.Exception);
        }

        Release();
    }

    private void Release()
    {
        lock (_gate)
        {
            if (--_pending == 0 && _idle is not null)
            {
                _idle.TrySetResult();
                _idle = null;
            }
        }
    }

    /// <summary>Waits until no task is pending, or until <paramref name="budget"/> passes.</summary>
    /// <returns>True when every task settled in time.</returns>
    public async Task<bool> WaitForIdleAsync(TimeSpan budget, CancellationToken cancellationToken)
    {
        var deadline = _time.GetTimestamp() + (long)(budget.TotalSeconds * _time.TimestampFrequency);
        while (true)
        {
            Task idle;
            lock (_gate)
            {
                if (_pending == 0)
                {
                    return true;
                }

                _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                idle = _idle.Task;
            }

            var left = _time.GetElapsedTime(_time.GetTimestamp(), deadline);
            if (left <= TimeSpan.Zero)
            {
                return false;
            }

            try
            {
                await idle.WaitAsync(left, _time, cancellationToken);
            }
            catch (TimeoutException)
            {
                return false;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return false;
            }
        }
    }

    /// <summary>Cancels every task still pending, marks it abandoned and hands durable work back to the queue; later tasks get the same as they arrive.</summary>
    /// <returns>How many abandoned tasks were lost (not handed off), and how many were handed off to the queue.</returns>
    public async Task<DrainOutcome> AbandonPendingAsync(TimeSpan handOffBudget)
    {
        var abandoned = new List<TrackedTask>();
        lock (_gate)
        {
            _abandoning = true;
            _handOffDeadline = _time.GetTimestamp() + (long)(handOffBudget.TotalSeconds * _time.TimestampFrequency);
            for (var entry = _head; entry is not null; entry = entry.Next)
            {
                if (entry.State != TrackedTask.Abandoned)
                {
                    entry.State = TrackedTask.Abandoned;
                    abandoned.Add(entry);
                }
            }
        }

        foreach (var entry in abandoned)
        {
            Cancel(entry);
        }

        var handedOff = (await Task.WhenAll(abandoned.Select(entry => HandOffAsync(entry, handOffBudget)))).Count(h => h);
        return new(abandoned.Count - handedOff, handedOff);
    }

    /// <summary>Waits for the hand-offs of work scheduled after drain gave up; each is bounded by what is left of the hand-off budget.</summary>
    /// <returns>How many of them were lost, and how many handed off.</returns>
    public async Task<DrainOutcome> WaitForLateHandOffsAsync()
    {
        Task<bool>[] late;
        lock (_gate)
        {
            late = [.. _lateHandOffs];
        }

        var handedOff = (await Task.WhenAll(late)).Count(h => h);
        return new(late.Length - handedOff, handedOff);
    }

    private async Task<bool> HandOffAsync(TrackedTask entry, TimeSpan budget)
    {
        if (entry.HandOff is null)
        {
            _metrics.Abandoned();
            Log.TaskAbandoned(_logger, entry.DisplayName);
            return false;
        }

        try
        {
            using var timeout = new CancellationTokenSource(budget, _time);

            // Bounded even if the hand-off ignores its token: the process must exit before the grace period ends.
            await entry.HandOff(timeout.Token).WaitAsync(budget, _time, CancellationToken.None);
            _metrics.HandedOff();
            Log.TaskHandedOff(_logger, entry.DisplayName);
            return true;
        }
#pragma warning disable CA1031 // One failed hand-off must not stop the others; the lease expiry still returns the work.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            _metrics.Abandoned();
            Log.HandOffFailed(_logger, entry.DisplayName, exception);
            return false;
        }
    }

    /// <summary>Cancels a task's token; a throwing callback is logged, never allowed to stop the caller (a timer or the drain).</summary>
    private void Cancel(TrackedTask entry)
    {
        try
        {
            entry.Cancellation?.Cancel();
        }
#pragma warning disable CA1031 // User callbacks registered on the token may throw anything.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Log.CancellationCallbackFailed(_logger, entry.DisplayName, exception);
        }
    }

    private void CancelExpired()
    {
        List<TrackedTask>? expired = null;
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            // From the oldest: stop at the first task whose deadline is still ahead, so a scan costs what expired, not what is pending.
            for (var entry = _tail; entry is not null && now >= entry.Deadline; entry = entry.Previous)
            {
                if (entry.State == TrackedTask.Running)
                {
                    entry.State = TrackedTask.TimedOut;
                    (expired ??= []).Add(entry);
                }
            }
        }

        if (expired is null)
        {
            return;
        }

        foreach (var entry in expired)
        {
            _metrics.TimedOut();
            Log.TaskTimedOut(_logger, entry.DisplayName, _timeout.TotalSeconds);
            Cancel(entry);
        }
    }

    public void Dispose()
    {
        AppDomain.CurrentDomain.FirstChanceException -= OnFirstChanceException;
        _timeoutScan.Dispose();
    }

    /// <summary>A fault in its observation window.</summary>
    private sealed class Rejection(BackgroundTaskTracker owner, Task task, string? name, Exception exception)
    {
        public string? Name { get; } = name;

        public Exception Exception { get; } = exception;

        public ITimer? Timer { get; set; }

        /// <summary>Whether <paramref name="thrown"/> is this fault rethrown by an awaiter: the same exception, or (from <c>Wait</c>) wrapped in a new aggregate.</summary>
        public bool IsRethrownBy(Exception thrown)
        {
            if (Matches(thrown))
            {
                return true;
            }

            if (thrown is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    if (Matches(inner))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        public void Report(bool observed) => owner.OnRejectionSettled(this, observed);

        private bool Matches(Exception thrown) =>
            ReferenceEquals(thrown, Exception)
            || (Exception is AggregateException all && all.InnerExceptions.Contains(thrown))
            || (thrown is TaskCanceledException cancelled && ReferenceEquals(cancelled.Task, task));
    }
}
