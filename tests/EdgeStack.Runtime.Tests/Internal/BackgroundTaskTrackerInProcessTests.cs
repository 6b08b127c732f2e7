using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using EdgeStack.Runtime.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeStack.Runtime.Tests.Internal;

/// <summary>The tracker on a fake clock, in this process: timeouts, faults and who observes them, the wait for idle, what drain gives up on.</summary>
public sealed class BackgroundTaskTrackerInProcessTests
{
    private static readonly TimeSpan Hang = TrackerHarness.Hang;

    [Fact]
    public async Task Run_TaskReachesItsTimeout_TokenFiresAtTheDeadlineNotBefore()
    {
        using var harness = new TrackerHarness(TimeSpan.FromSeconds(2));
        var (visible, token) = await harness.RunAsync("slow");

        harness.Time.Advance(TimeSpan.FromSeconds(2) - TimeSpan.FromTicks(1));
        var early = token.IsCancellationRequested;
        harness.Time.Advance(TimeSpan.FromTicks(1));

        Assert.False(early);
        Assert.True(token.IsCancellationRequested);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => visible.WaitAsync(Hang));
        Assert.Single(harness.Events(2));
    }

    [Fact]
    public async Task Run_DeadlineBetweenScans_TokenFiresWithinAQuarterOfTheTimeoutAfterIt()
    {
        // Deadlines are checked every quarter of the timeout (50 ms to 1 s): a 2 s task started at 0.25 s is cancelled by 2.5 s.
        using var harness = new TrackerHarness(TimeSpan.FromSeconds(2));
        harness.Time.Advance(TimeSpan.FromSeconds(0.25));
        var (_, token) = await harness.RunAsync("slow");

        harness.Time.Advance(TimeSpan.FromSeconds(2.25));

        Assert.True(token.IsCancellationRequested);
    }

    [Fact]
    public async Task Run_TwoTasksWithTheSameDeadline_BothTimeOut()
    {
        using var harness = new TrackerHarness(TimeSpan.FromSeconds(2));
        var (_, first) = await harness.RunAsync("first");
        var (_, second) = await harness.RunAsync("second");

        harness.Time.Advance(TimeSpan.FromSeconds(2));

        Assert.True(first.IsCancellationRequested);
        Assert.True(second.IsCancellationRequested);
        Assert.Equal(2, harness.Events(2).Count);
    }

    [Theory]
    [InlineData(0)] // the oldest: the newer tasks still time out
    [InlineData(1)] // the middle one: the tasks on both sides still time out
    public async Task Run_OneOfThreeTasksSettledFirst_TheOthersStillTimeOut(int settled)
    {
        using var harness = new TrackerHarness(TimeSpan.FromSeconds(2));
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = new List<(Task Visible, CancellationToken Token)>();
        for (var index = 0; index < 3; index++)
        {
            tasks.Add(await harness.RunAsync($"task-{index}", index == settled ? release : null));
        }

        release.TrySetResult();
        await tasks[settled].Visible.WaitAsync(Hang);
        harness.Time.Advance(TimeSpan.FromSeconds(2));

        Assert.All(tasks.Where((_, index) => index != settled), task => Assert.True(task.Token.IsCancellationRequested));
    }

    [Fact]
    public async Task AbandonPendingAsync_MiddleTaskSettled_EveryOtherTaskIsCancelledAndCountedLost()
    {
        using var harness = new TrackerHarness();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (_, oldest) = await harness.RunAsync("oldest");
        var (middle, _) = await harness.RunAsync("middle", release);
        var (_, newest) = await harness.RunAsync("newest");

        release.TrySetResult();
        await middle.WaitAsync(Hang);
        var outcome = await harness.Tracker.AbandonPendingAsync(TimeSpan.FromSeconds(1)).WaitAsync(Hang);

        Assert.True(oldest.IsCancellationRequested);
        Assert.True(newest.IsCancellationRequested);
        Assert.Equal(new DrainOutcome(Lost: 2, HandedOff: 0), outcome);
        Assert.Equal(2, harness.Events(3).Count);
    }

    [Fact]
    public async Task AbandonPendingAsync_HandOffThrows_CountedLostAndLogged()
    {
        using var harness = new TrackerHarness();
        await harness.RunAsync("durable", handOff: _ => throw new IOException("queue unreachable"));

        var outcome = await harness.Tracker.AbandonPendingAsync(TimeSpan.FromSeconds(1)).WaitAsync(Hang);

        Assert.Equal(new DrainOutcome(Lost: 1, HandedOff: 0), outcome);
        Assert.Single(harness.Events(10));
        Assert.Equal(1, harness.Sum("edgestack.tasks.abandoned"));
        Assert.Equal(0, harness.Sum("edgestack.tasks.handed_off"));
    }

    [Fact]
    public async Task Run_AfterDrainGaveUp_IsCancelledAtOnceAndItsCancellationIsNoFault()
    {
        using var harness = new TrackerHarness();
        await harness.Tracker.AbandonPendingAsync(TimeSpan.FromSeconds(1)).WaitAsync(Hang);

        var (late, token) = await harness.RunAsync("late");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => late.WaitAsync(Hang));
        harness.Time.Advance(BackgroundTaskTracker.ObservationWindow);

        Assert.True(token.IsCancellationRequested);
        Assert.Empty(harness.Faults);
        Assert.Equal(0, harness.Tracker.PendingCount);
    }

    [Fact]
    public async Task WaitForLateHandOffsAsync_LateDurableAndLatePlainWork_OneHandedOffOneLost()
    {
        using var harness = new TrackerHarness();
        await harness.Tracker.AbandonPendingAsync(TimeSpan.FromSeconds(5)).WaitAsync(Hang);
        var handOffStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handOffDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // The hand-off takes a while (its queue call is still going when the test lets it end): it needs its budget.
        _ = harness.Tracker.Run(ct => Task.Delay(Timeout.Infinite, ct), "late-durable", handOff: _ => { handOffStarted.TrySetResult(); return handOffDone.Task; });
        _ = harness.Tracker.Track(new TaskCompletionSource().Task, "late-plain");
        await handOffStarted.Task.WaitAsync(Hang);
        handOffDone.TrySetResult();
        var outcome = await harness.Tracker.WaitForLateHandOffsAsync().WaitAsync(Hang);

        Assert.Equal(new DrainOutcome(Lost: 1, HandedOff: 1), outcome);
    }

    [Fact]
    public async Task WaitForLateHandOffsAsync_LateDurableWorkAfterTheHandOffBudget_HandOffStillTriedWithACancelledToken()
    {
        using var harness = new TrackerHarness();
        await harness.Tracker.AbandonPendingAsync(TimeSpan.FromSeconds(1)).WaitAsync(Hang);
        harness.Time.Advance(TimeSpan.FromSeconds(2));
        var handOffToken = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);

        // A queue client that can give the work back without waiting (or checks its token first) still gets the chance.
        _ = harness.Tracker.Run(ct => Task.Delay(Timeout.Infinite, ct), "too-late", handOff: ct => { handOffToken.TrySetResult(ct); return Task.CompletedTask; });
        var outcome = await harness.Tracker.WaitForLateHandOffsAsync().WaitAsync(Hang);

        Assert.True((await handOffToken.Task.WaitAsync(Hang)).IsCancellationRequested);
        Assert.Equal(new DrainOutcome(Lost: 0, HandedOff: 1), outcome);
    }

    [Fact]
    public async Task Track_FaultWithTwoExceptions_ReportedFaultCarriesBoth()
    {
        using var harness = new TrackerHarness();
        var first = new InvalidOperationException("first");
        var second = new IOException("second");

        _ = harness.Tracker.Track(Task.WhenAll(Task.FromException(first), Task.FromException(second)), "both");
        harness.Time.Advance(BackgroundTaskTracker.ObservationWindow);
        var (name, exception) = await harness.FirstFault.WaitAsync(Hang);

        Assert.Equal("both", name);
        var aggregate = Assert.IsType<AggregateException>(exception);
        Assert.Equal(new Exception[] { first, second }, aggregate.InnerExceptions);
    }

    [Fact]
    public async Task Track_RunningTaskFaultsWithCancellation_IsReportedAsAFault()
    {
        // Not our token's doing: an OperationCanceledException stored as a fault is the task's failure like any other.
        using var harness = new TrackerHarness();
        var source = new TaskCompletionSource();
        var visible = harness.Tracker.Track(source.Task, "foreign-cancel");

        source.SetException(new OperationCanceledException("not ours"));
        await WaitForAsync(() => visible.IsCompleted);
        harness.Time.Advance(BackgroundTaskTracker.ObservationWindow);
        var (name, exception) = await harness.FirstFault.WaitAsync(Hang);

        Assert.Equal("foreign-cancel", name);
        Assert.IsType<OperationCanceledException>(exception);
    }

    [Fact]
    public async Task Run_TimedOutTaskEndsFaultedWithCancellation_IsNoFault()
    {
        // Work that turns its token into a faulted task (not a cancelled one) still ended because we cancelled it.
        using var harness = new TrackerHarness(TimeSpan.FromSeconds(2));
        var visible = harness.Tracker.Run(
            ct =>
            {
                var source = new TaskCompletionSource();
                ct.Register(() => source.TrySetException(new OperationCanceledException(ct)));
                return source.Task;
            },
            "faults-on-cancel");

        harness.Time.Advance(TimeSpan.FromSeconds(2));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => visible.WaitAsync(Hang));
        harness.Time.Advance(BackgroundTaskTracker.ObservationWindow);

        Assert.Empty(harness.Faults);
        Assert.Equal(0, harness.Tracker.PendingCount);
        Assert.Equal(0, harness.Sum("edgestack.tasks.pending"));
        Assert.Equal(0, harness.Sum("edgestack.tasks.failed"));
    }

    [Fact]
    public async Task Track_FaultAwaitedByTheCaller_CallerGetsTheExceptionAndNoFaultIsReported()
    {
        using var harness = new TrackerHarness();
        var source = new TaskCompletionSource();
        var thrown = new InvalidOperationException("boom");
        var visible = harness.Tracker.Track(source.Task, "awaited");

        source.SetException(thrown);
        var caught = await Assert.ThrowsAsync<InvalidOperationException>(() => visible.WaitAsync(Hang));
        await WaitForAsync(() => harness.Tracker.PendingCount == 0);
        harness.Time.Advance(BackgroundTaskTracker.ObservationWindow);

        Assert.Same(thrown, caught);
        Assert.Empty(harness.Faults);
        var observed = Assert.Single(harness.Events(17));
        Assert.Equal("awaited", observed.StructuredState!.Single(p => p.Key == "TaskName").Value);
        Assert.Equal(0, harness.Tracker.PendingCount);
    }

    [Fact]
    public async Task Track_FaultWaitedOnByTheCaller_IsObservedNotReported()
    {
        // Task.Wait rethrows the fault wrapped in an aggregate of its own.
        using var harness = new TrackerHarness();
        var source = new TaskCompletionSource();
        var visible = harness.Tracker.Track(source.Task, "waited");

        source.SetException(new InvalidOperationException("boom"));
        var caught = Assert.Throws<AggregateException>(() => visible.Wait(Hang));
        await WaitForAsync(() => harness.Tracker.PendingCount == 0);
        harness.Time.Advance(BackgroundTaskTracker.ObservationWindow);

        Assert.IsType<InvalidOperationException>(Assert.Single(caught.InnerExceptions));
        Assert.Empty(harness.Faults);
        Assert.Single(harness.Events(17));
    }

    [Fact]
    public async Task Track_CancelledByAForeignTokenAndAwaitedByTheCaller_IsObservedNotReported()
    {
        using var harness = new TrackerHarness();
        var source = new TaskCompletionSource();
        var visible = harness.Tracker.Track(source.Task, "awaited-cancel");

        source.SetCanceled();
        await WaitForAsync(() => visible.IsCompleted);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => visible);
        await WaitForAsync(() => harness.Tracker.PendingCount == 0);
        harness.Time.Advance(BackgroundTaskTracker.ObservationWindow);

        Assert.Empty(harness.Faults);
        Assert.Single(harness.Events(17));
    }

    [Fact]
    public void Track_FaultNobodyAwaits_ReportedOnceAtTheEndOfItsWindow()
    {
        using var harness = new TrackerHarness();
        _ = harness.Tracker.Track(Task.FromException(new InvalidOperationException("loose")), "loose");

        harness.Time.Advance(BackgroundTaskTracker.ObservationWindow - TimeSpan.FromTicks(1));
        var early = harness.Faults.Count;
        harness.Time.Advance(TimeSpan.FromTicks(1));
        harness.Time.Advance(BackgroundTaskTracker.ObservationWindow);

        Assert.Equal(0, early);
        Assert.Equal("loose", Assert.Single(harness.Faults).Name);
        Assert.Equal(0, harness.Tracker.PendingCount);
        Assert.Equal(1, harness.Sum("edgestack.tasks.failed"));
    }

    [Fact]
    public void ReportUnobserved_FaultInItsWindow_IsReportedAtOnce()
    {
        using var harness = new TrackerHarness();
        _ = harness.Tracker.Track(Task.FromException(new InvalidOperationException("late in the drain")), "in-window");

        harness.Tracker.ReportUnobserved();

        Assert.Equal("in-window", Assert.Single(harness.Faults).Name);
        Assert.Equal(0, harness.Tracker.PendingCount);
    }

    [Fact]
    public void ReportUnobserved_ObservationTimerStillFiresAfterwards_FaultCountedOnce()
    {
        // A timer's callback can run after Dispose has returned (System.Threading.Timer documents it): the drain's end
        // reports the fault, and then its observation timer fires anyway.
        var clock = new LateFiringClock();
        using var harness = new TrackerHarness(time: clock);
        _ = harness.Tracker.Track(Task.FromException(new InvalidOperationException("reported at the drain's end")), "raced");
        var (callback, state) = clock.OneShots.Single();

        harness.Tracker.ReportUnobserved();
        callback(state);

        Assert.Single(harness.Faults);
        Assert.Equal(1, harness.Sum("edgestack.tasks.failed"));
        Assert.Equal(0, harness.Tracker.PendingCount);
    }

    [Fact]
    public async Task WaitForIdleAsync_LastTaskSettles_ReturnsTrueWithoutWaitingOutTheBudget()
    {
        using var harness = new TrackerHarness();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await harness.RunAsync("first", release);
        await harness.RunAsync("second", release);

        var idle = harness.Tracker.WaitForIdleAsync(TimeSpan.FromSeconds(8), CancellationToken.None);
        release.TrySetResult();

        Assert.True(await idle.WaitAsync(Hang));
    }

    [Fact]
    public async Task WaitForIdleAsync_TwoWaiters_BothWakeWhenTheLastTaskSettles()
    {
        using var harness = new TrackerHarness();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await harness.RunAsync("only", release);

        var first = harness.Tracker.WaitForIdleAsync(TimeSpan.FromSeconds(8), CancellationToken.None);
        var second = harness.Tracker.WaitForIdleAsync(TimeSpan.FromSeconds(8), CancellationToken.None);
        release.TrySetResult();

        Assert.True(await first.WaitAsync(Hang));
        Assert.True(await second.WaitAsync(Hang));
    }

    [Fact]
    public async Task WaitForIdleAsync_BudgetEndsWithATaskPending_ReturnsFalseAtTheBudget()
    {
        using var harness = new TrackerHarness();
        await harness.RunAsync("pending");

        var idle = harness.Tracker.WaitForIdleAsync(TimeSpan.FromSeconds(8), CancellationToken.None);
        harness.Time.Advance(TimeSpan.FromSeconds(8));

        Assert.False(await idle.WaitAsync(Hang));
    }

    [Fact]
    public async Task WaitForIdleAsync_NoBudgetLeftWithATaskPending_ReturnsFalse()
    {
        using var harness = new TrackerHarness();
        await harness.RunAsync("pending");

        var idle = await harness.Tracker.WaitForIdleAsync(TimeSpan.Zero, CancellationToken.None).WaitAsync(Hang);

        Assert.False(idle);
    }

    [Fact]
    public async Task WaitForIdleAsync_Cancelled_ReturnsFalse()
    {
        using var harness = new TrackerHarness();
        await harness.RunAsync("pending");
        using var stop = new CancellationTokenSource();

        var idle = harness.Tracker.WaitForIdleAsync(TimeSpan.FromSeconds(8), stop.Token);
        await stop.CancelAsync();

        Assert.False(await idle.WaitAsync(Hang));
    }

    [Fact]
    public async Task Track_FromAContextThatNeverRunsItsCallbacks_StillSettles()
    {
        // A caller on a blocked or single-threaded synchronization context: settling must not need that context.
        using var harness = new TrackerHarness();
        var source = new TaskCompletionSource();
        var previous = SynchronizationContext.Current;
        Task visible;
        SynchronizationContext.SetSynchronizationContext(new DeadContext());
        try
        {
            visible = harness.Tracker.Track(source.Task, "from-a-dead-context");
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }

        source.SetResult();
        await visible.WaitAsync(Hang);

        Assert.Equal(0, harness.Tracker.PendingCount);
    }

    [Fact]
    public void Dispose_DisposedTracker_IsNotKeptAliveByItsTimerOrTheFirstChanceHook()
    {
        // A host built and disposed again and again (tests, a WebApplicationFactory) must not leak a tracker each time.
        var tracker = CreateAndDisposeTracker();

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.False(tracker.IsAlive);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference CreateAndDisposeTracker()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meterFactory = services.GetRequiredService<IMeterFactory>();
        var tracker = new BackgroundTaskTracker(TimeProvider.System, TimeSpan.FromSeconds(2), new EdgeRuntimeMetrics(meterFactory), NullLogger.Instance, (_, _) => { });
        tracker.Dispose();
        return new WeakReference(tracker);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(Hang);
        while (!condition())
        {
            await Task.Yield();
            deadline.Token.ThrowIfCancellationRequested();
        }
    }

    /// <summary>A fake clock that remembers the callback of each one-shot timer, so a test can fire one late.</summary>
    private sealed class LateFiringClock : Microsoft.Extensions.Time.Testing.FakeTimeProvider
    {
        public System.Collections.Concurrent.ConcurrentQueue<(TimerCallback Callback, object? State)> OneShots { get; } = new();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            if (period == Timeout.InfiniteTimeSpan)
            {
                OneShots.Enqueue((callback, state));
            }

            return base.CreateTimer(callback, state, dueTime, period);
        }
    }

    /// <summary>A synchronization context that drops what is posted to it, like one whose thread is blocked for good.</summary>
    private sealed class DeadContext : SynchronizationContext
    {
        public override void Post(SendOrPostCallback d, object? state)
        {
        }

        public override void Send(SendOrPostCallback d, object? state)
        {
        }
    }
}
