using Microsoft.Extensions.Logging;

namespace EdgeStack.Runtime.Internal;

/// <summary>
/// Holds every background task until it settles: a continuation on each task reports faults at once,
/// one timer enforces the per-task timeout, and drain waits for the last task without polling.
/// </summary>
internal sealed class BackgroundTaskTracker : IDisposable
{
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
    }

    public int PendingCount => Volatile.Read(ref _pending);

    /// <summary>Tracks a task that is already running.</summary>
    public Task Track(Task task, string? name, CancellationTokenSource? cancellation = null, Func<CancellationToken, Task>? handOff = null)
    {
        _metrics.Started();
        if (task.IsCompleted)
        {
            // Fast path: nothing to wait for, nothing to link.
            Settle(task, name, TrackedTask.Running);
            return task;
        }

        var entry = new TrackedTask(this, name, cancellation, handOff) { Task = task };
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
            _metrics.Abandoned();
            Cancel(entry);
            var handOffLeft = _time.GetElapsedTime(_time.GetTimestamp(), _handOffDeadline);
            var lateHandOff = HandOffAsync(entry, handOffLeft > TimeSpan.Zero ? handOffLeft : TimeSpan.Zero);
            lock (_gate)
            {
                _lateHandOffs.Add(lateHandOff);
            }
        }

        task.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(entry.OnCompletedCallback);
        return task;
    }

    /// <summary>Starts work with a token that fires at its timeout or when drain abandons it, and tracks it.</summary>
    public Task Run(Func<CancellationToken, Task> work, string? name, Func<CancellationToken, Task>? handOff = null)
    {
        var cancellation = new CancellationTokenSource();
        var token = cancellation.Token;
        var task = Task.Run(() => work(token), CancellationToken.None);
        return Track(task, name, cancellation, handOff);
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

        // Settled (its UnhandledRejection raised and logged) before it stops counting: drain never exits mid-report.
        Settle(entry.Task, entry.Name, state);
        lock (_gate)
        {
            if (--_pending == 0 && _idle is not null)
            {
                _idle.TrySetResult();
                _idle = null;
            }
        }
    }

    private void Settle(Task task, string? name, int state)
    {
        if (task.IsFaulted)
        {
            var exception = task.Exception!.InnerExceptions.Count == 1 ? task.Exception.InnerException! : task.Exception;
            if (state != TrackedTask.Running && exception is OperationCanceledException)
            {
                // Our own timeout or drain cancelled it: already counted, not a failure.
                _metrics.Settled();
                return;
            }

            _metrics.Failed();
            _onFault(name, exception);
            return;
        }

        if (task.IsCanceled && state == TrackedTask.Running)
        {
            // Cancelled by a token that is not ours (an HttpClient timeout, say): a rejection like any other.
            try
            {
                task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException exception)
            {
                _metrics.Failed();
                _onFault(name, exception);
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
    /// <returns>How many tasks were abandoned, and how many of them were handed off.</returns>
    public async Task<(int Abandoned, int HandedOff)> AbandonPendingAsync(TimeSpan handOffBudget)
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
            _metrics.Abandoned();
            Cancel(entry);
        }

        var handedOff = await Task.WhenAll(abandoned.Select(entry => HandOffAsync(entry, handOffBudget)));
        return (abandoned.Count, handedOff.Count(h => h));
    }

    /// <summary>Waits for the hand-offs of work scheduled after drain gave up; each is bounded by what is left of the hand-off budget.</summary>
    /// <returns>How many of them were handed off.</returns>
    public async Task<int> WaitForLateHandOffsAsync()
    {
        Task<bool>[] late;
        lock (_gate)
        {
            late = [.. _lateHandOffs];
        }

        return (await Task.WhenAll(late)).Count(h => h);
    }

    private async Task<bool> HandOffAsync(TrackedTask entry, TimeSpan budget)
    {
        if (entry.HandOff is null)
        {
            Log.TaskAbandoned(_logger, entry.DisplayName);
            return false;
        }

        try
        {
            using var timeout = new CancellationTokenSource(budget, _time);
            await entry.HandOff(timeout.Token);
            _metrics.HandedOff();
            Log.TaskHandedOff(_logger, entry.DisplayName);
            return true;
        }
#pragma warning disable CA1031 // One failed hand-off must not stop the others; the lease expiry still returns the work.
        catch (Exception exception)
#pragma warning restore CA1031
        {
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

    public void Dispose() => _timeoutScan.Dispose();
}
