using System.Diagnostics.Metrics;
using EdgeStack.Runtime.Internal;

namespace EdgeStack.Runtime.Tests.Internal;

/// <summary>The instruments of meter <c>EdgeStack.Runtime</c> the README lists, read with a <see cref="MeterListener"/>.</summary>
public sealed class EdgeRuntimeMetricsTests
{
    private static readonly TimeSpan Hang = TrackerHarness.Hang;

    [Fact]
    public void Instruments_EveryOneTheReadmeLists_PublishedWithItsKindUnitAndDescription()
    {
        using var harness = new TrackerHarness();

        var instruments = harness.Instruments;

        Assert.Equal(
            ["edgestack.drain.duration", "edgestack.tasks.abandoned", "edgestack.tasks.completed", "edgestack.tasks.failed", "edgestack.tasks.handed_off", "edgestack.tasks.pending", "edgestack.tasks.timed_out"],
            instruments.Keys.Order(StringComparer.Ordinal));
        Assert.All(instruments.Values, i => Assert.Equal("EdgeStack.Runtime", i.Meter.Name));
        Assert.All(instruments.Values, i => Assert.False(string.IsNullOrWhiteSpace(i.Description), $"{i.Name} has no description"));
        Assert.IsType<UpDownCounter<long>>(instruments["edgestack.tasks.pending"]);
        Assert.All(instruments.Values.Where(i => i.Name.StartsWith("edgestack.tasks.", StringComparison.Ordinal)), i => Assert.Equal("{task}", i.Unit));
        Assert.All(instruments.Values.Where(i => i.Name.StartsWith("edgestack.tasks.", StringComparison.Ordinal) && i.Name != "edgestack.tasks.pending"), i => Assert.IsType<Counter<long>>(i));
        var duration = Assert.IsType<Histogram<double>>(instruments["edgestack.drain.duration"]);
        Assert.Equal("s", duration.Unit);
    }

    [Fact]
    public async Task Tracker_EachWayATaskEnds_CountedOnItsOwnInstrument()
    {
        using var harness = new TrackerHarness(TimeSpan.FromSeconds(2));
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        _ = harness.Tracker.Track(Task.CompletedTask, "done-already");
        var (completes, _) = await harness.RunAsync("completes", release);
        release.TrySetResult();
        await completes.WaitAsync(Hang);
        _ = harness.Tracker.Track(Task.FromException(new InvalidOperationException("fails")), "fails");
        harness.Time.Advance(BackgroundTaskTracker.ObservationWindow);
        var (timesOut, _) = await harness.RunAsync("times-out");
        harness.Time.Advance(TimeSpan.FromSeconds(2));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => timesOut.WaitAsync(Hang));
        var pendingBeforeDrain = harness.Sum("edgestack.tasks.pending");
        await harness.RunAsync("lost");
        await harness.RunAsync("handed-off", handOff: _ => Task.CompletedTask);
        await harness.Tracker.AbandonPendingAsync(TimeSpan.FromSeconds(1)).WaitAsync(Hang);
        await WaitForAsync(() => harness.Tracker.PendingCount == 0);

        Assert.Equal(0, pendingBeforeDrain);
        Assert.Equal(2, harness.Sum("edgestack.tasks.completed"));
        Assert.Equal(1, harness.Sum("edgestack.tasks.failed"));
        Assert.Equal(1, harness.Sum("edgestack.tasks.timed_out"));
        Assert.Equal(1, harness.Sum("edgestack.tasks.abandoned"));
        Assert.Equal(1, harness.Sum("edgestack.tasks.handed_off"));
        Assert.Equal(0, harness.Sum("edgestack.tasks.pending"));
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
}
