using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using EdgeStack.Contracts;
using EdgeStack.Runtime.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace EdgeStack.Runtime.Tests.Internal;

/// <summary>
/// The SIGTERM sequence in an in-process host on a fake clock. Grace 10 s derives a shutdown timeout of 9 s, a drain budget
/// of 8 s and an exit margin of 1 s; no test moves the clock to 9 s, where the stop's watchdog would exit the process.
/// </summary>
public sealed class GracefulShutdownServiceInProcessTests
{
    private static readonly TimeSpan Hang = TrackerHarness.Hang;

    [Fact]
    public async Task StopAsync_TaskOutlivesTheBudget_CancelledAtTheBudgetNotBeforeAndCountedLost()
    {
        var time = new FakeTimeProvider();
        using var host = BuildHost(time);
        await host.StartAsync();
        var runtime = host.Services.GetRequiredService<DefaultEdgeRuntime>();
        var logs = host.Services.GetFakeLogCollector();
        var token = await StartAsync(runtime, "too-long");
        var unloading = BeforeUnload(runtime);

        var stopping = host.StopAsync();
        await unloading.WaitAsync(Hang);
        time.Advance(TimeSpan.FromSeconds(8) - TimeSpan.FromTicks(1));
        var early = token.IsCancellationRequested;
        time.Advance(TimeSpan.FromTicks(1));
        await stopping.WaitAsync(Hang);

        Assert.False(early);
        Assert.True(token.IsCancellationRequested);
        var started = Assert.Single(logs.GetSnapshot(), r => r.Id.Id == 4 && r.Category == Log.Category);
        Assert.Equal("1", State(started, "PendingTasks"));
        Assert.Equal("8000", State(started, "TimeLeftMs"));
        var drained = Assert.Single(logs.GetSnapshot(), r => r.Id.Id == 5 && r.Category == Log.Category);
        Assert.Equal("1", State(drained, "LostTasks"));
        Assert.Equal("0", State(drained, "HandedOffTasks"));
        Assert.Equal(1, runtime.AbandonedTaskCount);
    }

    [Fact]
    public async Task StopAsync_DrainEndsWithTheBudget_DrainDurationRecordsItInSeconds()
    {
        var time = new FakeTimeProvider();
        using var host = BuildHost(time);
        var meterFactory = host.Services.GetRequiredService<IMeterFactory>();
        var durations = new ConcurrentQueue<double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, meterFactory) && instrument.Name == "edgestack.drain.duration")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, _, _) => durations.Enqueue(value));
        listener.Start();
        await host.StartAsync();
        var runtime = host.Services.GetRequiredService<DefaultEdgeRuntime>();
        await StartAsync(runtime, "too-long");
        var unloading = BeforeUnload(runtime);

        var stopping = host.StopAsync();
        await unloading.WaitAsync(Hang);
        time.Advance(TimeSpan.FromSeconds(8));
        await stopping.WaitAsync(Hang);

        Assert.Equal(8.0, Assert.Single(durations));
    }

    [Fact]
    public async Task StopAsync_AbandonedTaskSchedulesMoreWorkWhenCancelled_BothCountedLost()
    {
        // Work scheduled as the budget ends (here by a cancellation callback) is abandoned too, and adds to the summary.
        var time = new FakeTimeProvider();
        using var host = BuildHost(time);
        await host.StartAsync();
        var runtime = host.Services.GetRequiredService<DefaultEdgeRuntime>();
        var logs = host.Services.GetFakeLogCollector();
        var token = await StartAsync(runtime, "first");
        token.Register(() => runtime.WaitUntil(new TaskCompletionSource().Task, "scheduled-at-the-end"));
        var unloading = BeforeUnload(runtime);

        var stopping = host.StopAsync();
        await unloading.WaitAsync(Hang);
        time.Advance(TimeSpan.FromSeconds(8));
        await stopping.WaitAsync(Hang);

        var drained = Assert.Single(logs.GetSnapshot(), r => r.Id.Id == 5 && r.Category == Log.Category);
        Assert.Equal("2", State(drained, "LostTasks"));
        Assert.Equal(2, runtime.AbandonedTaskCount);
        Assert.Equal(2, logs.GetSnapshot().Count(r => r.Id.Id == 3 && r.Category == Log.Category));
    }

    [Fact]
    public async Task StopAsync_FaultStillInItsObservationWindowWhenTheBudgetEnds_RaisedBeforeTheStopReturns()
    {
        var time = new FakeTimeProvider();
        using var host = BuildHost(time);
        await host.StartAsync();
        var runtime = host.Services.GetRequiredService<DefaultEdgeRuntime>();
        var rejected = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        runtime.UnhandledRejection += (_, e) => rejected.TrySetResult(e.TaskName);
        var failing = new TaskCompletionSource();
        var visible = runtime.WaitUntil(failing.Task, "fails-late");
        var unloading = BeforeUnload(runtime);

        var stopping = host.StopAsync();
        await unloading.WaitAsync(Hang);
        time.Advance(TimeSpan.FromSeconds(7.5));
        failing.SetException(new InvalidOperationException("half a second before the budget ends"));
        await WaitForAsync(() => visible.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(0.5));
        await stopping.WaitAsync(Hang);

        Assert.True(rejected.Task.IsCompleted, "the fault was not raised before the stop returned");
        Assert.Equal("fails-late", await rejected.Task);
    }

    [Fact]
    public async Task StopAsync_ReadinessDelay_ServerStopsOnlyAfterIt()
    {
        var time = new TimerClock();
        var server = new StopProbe();
        using var host = BuildHost(time, services => services.AddSingleton<IHostedService>(server), (SettingNames.ReadinessDelaySeconds, "2"));
        await host.StartAsync();
        var runtime = host.Services.GetRequiredService<DefaultEdgeRuntime>();
        var logs = host.Services.GetFakeLogCollector();

        var stopping = host.StopAsync();
        // The delay's timer is set after BeforeUnload is raised: moving the clock before it exists would not end it.
        await time.TimerSetAsync(TimeSpan.FromSeconds(2)).WaitAsync(Hang);
        time.Advance(TimeSpan.FromSeconds(2) - TimeSpan.FromTicks(1));
        var stoppedEarly = server.Stopping.Task.IsCompleted;
        time.Advance(TimeSpan.FromTicks(1));
        await server.Stopping.Task.WaitAsync(Hang);
        await stopping.WaitAsync(Hang);

        Assert.False(stoppedEarly);
        var delay = Assert.Single(logs.GetSnapshot(), r => r.Id.Id == 13 && r.Category == Log.Category);
        Assert.Equal("2000", State(delay, "DelayMs"));
    }

    [Fact]
    public async Task StopAsync_EverythingSettled_WorkTrackedAfterwardsIsNotCancelledWhenTheBudgetWouldHaveEnded()
    {
        var time = new FakeTimeProvider();
        using var host = BuildHost(time);
        await host.StartAsync();
        var runtime = host.Services.GetRequiredService<DefaultEdgeRuntime>();
        var logs = host.Services.GetFakeLogCollector();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = runtime.WaitUntil(release.Task, "settles");
        var unloading = BeforeUnload(runtime);

        var stopping = host.StopAsync();
        await unloading.WaitAsync(Hang);
        release.TrySetResult();
        await stopping.WaitAsync(Hang);
        var after = await StartAsync(runtime, "after-the-drain");
        time.Advance(TimeSpan.FromSeconds(8));

        Assert.False(after.IsCancellationRequested);
        var drained = Assert.Single(logs.GetSnapshot(), r => r.Id.Id == 5 && r.Category == Log.Category);
        Assert.Equal("0", State(drained, "LostTasks"));
        Assert.DoesNotContain(logs.GetSnapshot(), r => r.Id.Id == 3 && r.Category == Log.Category);
        Assert.DoesNotContain(logs.GetSnapshot(), r => r.Id.Id == 13 && r.Category == Log.Category); // No readiness delay is set.
        Assert.Equal(0, runtime.AbandonedTaskCount);
    }

    private static async Task<CancellationToken> StartAsync(DefaultEdgeRuntime runtime, string name)
    {
        var started = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = runtime.WaitUntil(ct => { started.TrySetResult(ct); return Task.Delay(Timeout.Infinite, ct); }, name);
        return await started.Task.WaitAsync(Hang);
    }

    private static Task BeforeUnload(DefaultEdgeRuntime runtime)
    {
        var raised = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        runtime.BeforeUnload += (_, _) => raised.TrySetResult();
        return raised.Task;
    }

    private static string? State(FakeLogRecord record, string key) => record.StructuredState!.Single(p => p.Key == key).Value;

    private static async Task WaitForAsync(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(Hang);
        while (!condition())
        {
            await Task.Yield();
            deadline.Token.ThrowIfCancellationRequested();
        }
    }

    private static IHost BuildHost(FakeTimeProvider time, params (string Key, string Value)[] settings) => BuildHost(time, null, settings);

    private static IHost BuildHost(FakeTimeProvider time, Action<IServiceCollection>? configure, params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(
            settings.Prepend((Key: SettingNames.TerminationGracePeriodSeconds, Value: "10")).Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)));
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddFakeLogging();
        builder.AddEdgeRuntime();
        builder.Services.AddSingleton<TimeProvider>(time);
        configure?.Invoke(builder.Services);
        return builder.Build();
    }

    /// <summary>A fake clock that tells when a timer is set on it, so a test moves the clock only once the timer it means to fire exists.</summary>
    private sealed class TimerClock : FakeTimeProvider
    {
        private readonly Channel<TimeSpan> _set = Channel.CreateUnbounded<TimeSpan>();

        /// <summary>Completes once a timer due in <paramref name="dueTime"/> has been set (the timers set before it are passed over).</summary>
        public async Task TimerSetAsync(TimeSpan dueTime)
        {
            while (await _set.Reader.ReadAsync() != dueTime)
            {
            }
        }

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            // Told only once the timer is on the clock: an Advance right after then fires it.
            var timer = base.CreateTimer(callback, state, dueTime, period);
            _set.Writer.TryWrite(dueTime);
            return timer;
        }
    }

    /// <summary>Stands for the server: tells when the host asks it to stop.</summary>
    private sealed class StopProbe : IHostedService
    {
        public TaskCompletionSource Stopping { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken)
        {
            Stopping.TrySetResult();
            return Task.CompletedTask;
        }
    }
}
