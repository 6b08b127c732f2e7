using EdgeStack.Contracts;
using EdgeStack.Runtime.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace EdgeStack.Runtime.Tests.Internal;

/// <summary>The runtime in a real host: durable work, timeouts and faults.</summary>
public sealed class DefaultEdgeRuntimeTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task WaitUntilDurableAsync_Success_EnqueuesBeforeRunningAndCompletesAfter()
    {
        var queue = new FakeDurableWorkQueue();
        using var host = BuildHost(queue);
        await host.StartAsync();
        var runtime = host.Services.GetRequiredService<IEdgeRuntime>();

        var running = await runtime.WaitUntilDurableAsync("record", "payload-1");
        await running.WaitAsync(Hang);
        await queue.Completed.Task.WaitAsync(Hang);

        Assert.Equal(["enqueue record", "run payload-1", "complete"], queue.Calls);
        Assert.Equal(TimeSpan.FromSeconds(150) + TimeSpan.FromSeconds(5), queue.InvisibleFor);
        await host.StopAsync();
    }

    [Fact]
    public async Task WaitUntilDurableAsync_HandlerThrows_FailsBackToQueueAndRaisesRejectionOnce()
    {
        var queue = new FakeDurableWorkQueue();
        using var host = BuildHost(queue);
        await host.StartAsync();
        var runtime = host.Services.GetRequiredService<IEdgeRuntime>();
        var rejections = 0;
        runtime.UnhandledRejection += (_, e) => Interlocked.Increment(ref rejections);

        _ = await runtime.WaitUntilDurableAsync("record", "throw");
        var reason = await queue.Failed.Task.WaitAsync(Hang);
        await WaitForPendingAsync(runtime, 0);

        Assert.Equal("handler failed on purpose", reason);
        Assert.Equal(1, Volatile.Read(ref rejections));
        Assert.DoesNotContain("complete", queue.Calls);
        await host.StopAsync();
    }

    [Fact]
    public async Task WaitUntilDurableAsync_HandlerAndQueueBothFail_RejectionCarriesBoth()
    {
        var queue = new FakeDurableWorkQueue { FailThrows = new IOException("queue unreachable") };
        using var host = BuildHost(queue);
        await host.StartAsync();
        var runtime = host.Services.GetRequiredService<IEdgeRuntime>();
        var rejection = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        runtime.UnhandledRejection += (_, e) => rejection.TrySetResult(e.Exception);

        _ = await runtime.WaitUntilDurableAsync("record", "throw");
        var reported = await rejection.Task.WaitAsync(Hang);

        var both = Assert.IsType<AggregateException>(reported);
        Assert.Collection(
            both.InnerExceptions,
            e => Assert.Equal("handler failed on purpose", e.Message),
            e => Assert.Equal("queue unreachable", e.Message));
        await host.StopAsync();
    }

    [Fact]
    public async Task StopAsync_DurableWorkOutlivesDrainBudget_IsHandedBackToTheQueue()
    {
        var queue = new FakeDurableWorkQueue();
        using var host = BuildHost(queue, (SettingNames.TerminationGracePeriodSeconds, "3"));
        await host.StartAsync();
        var runtime = host.Services.GetRequiredService<IEdgeRuntime>();
        var logs = host.Services.GetFakeLogCollector();

        await runtime.WaitUntilDurableAsync("record", "wait-forever");
        await host.StopAsync();
        await queue.Released.Task.WaitAsync(Hang);

        Assert.Contains("release", queue.Calls);
        Assert.DoesNotContain("complete", queue.Calls);
        Assert.Contains(logs.GetSnapshot(), r => r.Id.Id == 9);
    }

    [Fact]
    public async Task WaitUntilDurableAsync_UnknownHandler_ThrowsNamingIt()
    {
        var queue = new FakeDurableWorkQueue();
        using var host = BuildHost(queue);
        var runtime = host.Services.GetRequiredService<IEdgeRuntime>();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => runtime.WaitUntilDurableAsync("nope", "{}"));

        Assert.Contains("'nope'", error.Message, StringComparison.Ordinal);
        Assert.Empty(queue.Calls);
    }

    [Fact]
    public async Task WaitUntil_PastTimeoutOnFakeClock_CancelsTokenAndLogsTimedOut()
    {
        var time = new FakeTimeProvider();
        using var host = BuildHost(new FakeDurableWorkQueue(), time, (SettingNames.TaskTimeoutSeconds, "10"));
        var runtime = host.Services.GetRequiredService<IEdgeRuntime>();
        var logs = host.Services.GetFakeLogCollector();
        var started = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);

        _ = runtime.WaitUntil(ct => { started.TrySetResult(ct); return Task.Delay(Timeout.Infinite, ct); }, "slow");
        var token = await started.Task.WaitAsync(Hang);
        time.Advance(TimeSpan.FromSeconds(9));
        var early = token.IsCancellationRequested;
        time.Advance(TimeSpan.FromSeconds(2));

        // The fake clock runs the timeout timer inside Advance: the token's state is settled when Advance returns.
        Assert.False(early);
        Assert.True(token.IsCancellationRequested);
        Assert.Equal(0, await WaitForPendingAsync(runtime, 0));
        Assert.Single(logs.GetSnapshot(), r => r.Id.Id == 2);
    }

    [Fact]
    public async Task WaitUntil_TasksStartedAtDifferentTimes_EachTimesOutAtItsOwnDeadline()
    {
        var time = new FakeTimeProvider();
        using var host = BuildHost(new FakeDurableWorkQueue(), time, (SettingNames.TaskTimeoutSeconds, "10"));
        var runtime = host.Services.GetRequiredService<IEdgeRuntime>();
        var firstStarted = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        var secondStarted = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);

        _ = runtime.WaitUntil(ct => { firstStarted.TrySetResult(ct); return Task.Delay(Timeout.Infinite, ct); }, "first");
        var first = await firstStarted.Task.WaitAsync(Hang);
        time.Advance(TimeSpan.FromSeconds(5));
        _ = runtime.WaitUntil(ct => { secondStarted.TrySetResult(ct); return Task.Delay(Timeout.Infinite, ct); }, "second");
        var second = await secondStarted.Task.WaitAsync(Hang);
        time.Advance(TimeSpan.FromSeconds(6));
        var firstAt11 = first.IsCancellationRequested;
        var secondAt11 = second.IsCancellationRequested;
        time.Advance(TimeSpan.FromSeconds(5));

        Assert.True(firstAt11);
        Assert.False(secondAt11);
        Assert.True(second.IsCancellationRequested);
        Assert.Equal(0, await WaitForPendingAsync(runtime, 0));
    }

    [Fact]
    public async Task WaitUntil_WorkThrowsCancellationBeforeReturningATask_EndsCancelledAsWithTaskRun()
    {
        using var host = BuildHost(new FakeDurableWorkQueue());
        await host.StartAsync();
        var runtime = host.Services.GetRequiredService<IEdgeRuntime>();

        var task = runtime.WaitUntil(_ => throw new OperationCanceledException("cancelled before any await"), "sync-cancel");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task.WaitAsync(Hang));

        Assert.True(task.IsCanceled, $"the task ended {task.Status}");
        await host.StopAsync();
    }

    [Fact]
    public void WaitUntil_PendingTaskThatCompletes_TrackingAllocatesAtMost200Bytes()
    {
        // bench/ row 8's budget for the node, its continuation and the caller's task. Counted on this thread, less what
        // the fast path for a completed task allocates (nothing once JIT-optimized; the counters' unoptimized code here).
        // No synchronization context (xunit's would send each continuation to the thread pool): they run inline, here.
        const int Tasks = 1000;
        var context = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        using var restore = new ContextRestorer(context);
        using var host = BuildHost(new FakeDurableWorkQueue());
        var runtime = host.Services.GetRequiredService<IEdgeRuntime>();
        var sources = Enumerable.Range(0, Tasks + 1).Select(_ => new TaskCompletionSource()).ToArray();
        var visible = new Task[Tasks + 1];
        visible[Tasks] = runtime.WaitUntil(sources[Tasks].Task);
        sources[Tasks].SetResult();
        _ = runtime.WaitUntil(Task.CompletedTask);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Tasks; i++)
        {
            _ = runtime.WaitUntil(Task.CompletedTask);
        }

        var fastPath = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Tasks; i++)
        {
            visible[i] = runtime.WaitUntil(sources[i].Task);
            sources[i].SetResult();
        }

        var perTask = (GC.GetAllocatedBytesForCurrentThread() - before - fastPath) / (double)Tasks;
        Assert.All(visible, task => Assert.Equal(TaskStatus.RanToCompletion, task.Status));
        Assert.True(perTask <= 200, $"tracking allocated {perTask} B per task");
    }

    [Fact]
    public async Task WaitUntil_TaskAlreadyFaulted_RaisesRejectionExactlyOnce()
    {
        using var host = BuildHost(new FakeDurableWorkQueue());
        var runtime = host.Services.GetRequiredService<IEdgeRuntime>();
        var logs = host.Services.GetFakeLogCollector();
        var names = new System.Collections.Concurrent.ConcurrentQueue<string?>();
        runtime.UnhandledRejection += (_, e) => names.Enqueue(e.TaskName);

        _ = runtime.WaitUntil(Task.FromException(new InvalidOperationException("early")), "pre-faulted");
        _ = runtime.WaitUntil(FaultLaterAsync(), "late-fault");
        await WaitForPendingAsync(runtime, 0);

        Assert.Equal(["late-fault", "pre-faulted"], names.Order());
        Assert.Equal(2, logs.GetSnapshot().Count(r => r.Id.Id == 1));
    }

    [Fact]
    public async Task WaitUntil_CancelledByAForeignToken_RaisesRejectionOnce()
    {
        using var host = BuildHost(new FakeDurableWorkQueue());
        var runtime = host.Services.GetRequiredService<IEdgeRuntime>();
        var logs = host.Services.GetFakeLogCollector();
        var rejections = new List<Exception>();
        runtime.UnhandledRejection += (_, e) => rejections.Add(e.Exception);
        using var foreign = new CancellationTokenSource();

        _ = runtime.WaitUntil(_ => Task.Delay(Timeout.Infinite, foreign.Token), "http-timeout");
        await foreign.CancelAsync();
        await WaitForPendingAsync(runtime, 0);

        Assert.IsAssignableFrom<OperationCanceledException>(Assert.Single(rejections));
        Assert.Single(logs.GetSnapshot(), r => r.Id.Id == 1);
    }

    [Fact]
    public async Task WaitUntil_CancellationCallbackThrowsAtTimeout_IsLoggedAndTheTaskStillSettles()
    {
        var time = new FakeTimeProvider();
        using var host = BuildHost(new FakeDurableWorkQueue(), time, (SettingNames.TaskTimeoutSeconds, "10"));
        var runtime = host.Services.GetRequiredService<IEdgeRuntime>();
        var logs = host.Services.GetFakeLogCollector();
        var registered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var task = runtime.WaitUntil(
            async ct =>
            {
                using var registration = ct.Register(() => throw new InvalidOperationException("callback"));
                registered.TrySetResult();
                await Task.Delay(Timeout.Infinite, ct);
            },
            "throwing-callback");
        await registered.Task.WaitAsync(Hang);
        time.Advance(TimeSpan.FromSeconds(11));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task.WaitAsync(Hang));

        Assert.Single(logs.GetSnapshot(), r => r.Id.Id == 15);
        Assert.Equal(0, await WaitForPendingAsync(runtime, 0));
    }

    [Fact]
    public async Task StopAsync_SlowServerStop_HandsOffAtTheDrainBudgetNotAfterIt()
    {
        var queue = new FakeDurableWorkQueue();
        var slowStop = new SlowStoppingService(queue);
        using var host = BuildHost(queue, services => services.AddSingleton<IHostedService>(slowStop), (SettingNames.TerminationGracePeriodSeconds, "10"), (SettingNames.DrainBudgetSeconds, "1"));
        await host.StartAsync();
        var runtime = host.Services.GetRequiredService<IEdgeRuntime>();

        await runtime.WaitUntilDurableAsync("record", "wait-forever");
        await host.StopAsync();

        Assert.Equal(["enqueue record", "release", "slow stop finished"], queue.Calls);
    }

    [Fact]
    public async Task StopAsync_BudgetEndsDuringSlowServerStop_WaitsForTheSlowHandOff()
    {
        var queue = new FakeDurableWorkQueue { ReleaseTakes = TimeSpan.FromSeconds(3) };
        using var host = BuildHost(
            queue,
            services => services.AddSingleton<IHostedService>(new StopTakesService(TimeSpan.FromSeconds(2))),
            (SettingNames.TerminationGracePeriodSeconds, "10"),
            (SettingNames.DrainBudgetSeconds, "1"));
        await host.StartAsync();
        var runtime = host.Services.GetRequiredService<IEdgeRuntime>();
        var logs = host.Services.GetFakeLogCollector();

        await runtime.WaitUntilDurableAsync("record", "wait-forever");
        await host.StopAsync();

        Assert.Contains("release", queue.Calls);
        var drained = Assert.Single(logs.GetSnapshot(), r => r.Id.Id == 5 && r.Category == "EdgeStack.Runtime");
        Assert.Equal("0", drained.StructuredState!.Single(p => p.Key == "LostTasks").Value);
        Assert.Equal("1", drained.StructuredState!.Single(p => p.Key == "HandedOffTasks").Value);
    }

    [Fact]
    public async Task StopAsync_OneTaskLostOneHandedOff_DrainSummaryCountsThemApart()
    {
        var queue = new FakeDurableWorkQueue();
        using var host = BuildHost(queue, (SettingNames.TerminationGracePeriodSeconds, "10"), (SettingNames.DrainBudgetSeconds, "0.5"));
        await host.StartAsync();
        var runtime = host.Services.GetRequiredService<IEdgeRuntime>();
        var logs = host.Services.GetFakeLogCollector();
        var never = new TaskCompletionSource();

        _ = runtime.WaitUntil(never.Task, "ignores-its-token");
        await runtime.WaitUntilDurableAsync("record", "wait-forever");
        await host.StopAsync();

        var drained = Assert.Single(logs.GetSnapshot(), r => r.Id.Id == 5 && r.Category == "EdgeStack.Runtime");
        Assert.Equal("1", drained.StructuredState!.Single(p => p.Key == "LostTasks").Value);
        Assert.Equal("1", drained.StructuredState!.Single(p => p.Key == "HandedOffTasks").Value);
        var lost = Assert.Single(logs.GetSnapshot(), r => r.Id.Id == 3 && r.Category == "EdgeStack.Runtime");
        Assert.Contains("ignores-its-token", lost.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_EveryInstrumentTheReadmeLists_IsReported()
    {
        // On a fake clock, so no task times out, and no budget ends, before the test moves it there.
        var time = new FakeTimeProvider();
        var queue = new FakeDurableWorkQueue();
        using var host = BuildHost(
            queue,
            time,
            (SettingNames.TerminationGracePeriodSeconds, "10"),
            (SettingNames.DrainBudgetSeconds, "0.5"),
            (SettingNames.TaskTimeoutSeconds, "1"));
        var measurements = new System.Collections.Concurrent.ConcurrentQueue<(string Name, double Value)>();
        var meterFactory = host.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, meterFactory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => measurements.Enqueue((instrument.Name, value)));
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => measurements.Enqueue((instrument.Name, value)));
        listener.Start();
        await host.StartAsync();
        var runtime = host.Services.GetRequiredService<IEdgeRuntime>();
        var rejected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        runtime.UnhandledRejection += (_, _) => rejected.TrySetResult();
        var timedOut = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        await runtime.WaitUntil(ct => Task.Delay(1, ct), "completes").WaitAsync(Hang);
        _ = runtime.WaitUntil(Task.FromException(new InvalidOperationException("fails")), "fails");
        time.Advance(BackgroundTaskTracker.ObservationWindow);
        await rejected.Task.WaitAsync(Hang);
        _ = runtime.WaitUntil(
            async ct =>
            {
                try
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }
                finally
                {
                    timedOut.TrySetResult();
                }
            },
            "times-out");
        time.Advance(TimeSpan.FromSeconds(1.25)); // The 1 s timeout, found by a scan every 0.25 s.
        await timedOut.Task.WaitAsync(Hang);
        _ = runtime.WaitUntil(new TaskCompletionSource().Task, "lost");
        await runtime.WaitUntilDurableAsync("record", "wait-forever");
        var unloading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        runtime.BeforeUnload += (_, _) => unloading.TrySetResult();
        var stopping = host.StopAsync();
        await unloading.Task.WaitAsync(Hang); // The budget's timer is set by then.
        time.Advance(TimeSpan.FromSeconds(0.5));
        await stopping.WaitAsync(Hang);
        await WaitForPendingAsync(runtime, 1);

        double Sum(string name) => measurements.Where(m => m.Name == name).Sum(m => m.Value);
        Assert.Equal(1, Sum("edgestack.tasks.completed"));
        Assert.Equal(1, Sum("edgestack.tasks.failed"));
        Assert.Equal(1, Sum("edgestack.tasks.timed_out"));
        Assert.Equal(1, Sum("edgestack.tasks.abandoned"));
        Assert.Equal(1, Sum("edgestack.tasks.handed_off"));
        Assert.Equal(runtime.PendingTaskCount, Sum("edgestack.tasks.pending"));
        var drain = Assert.Single(measurements, m => m.Name == "edgestack.drain.duration");
        Assert.Equal(0.5, drain.Value); // It waited out the 0.5 s budget.
    }

    [Fact]
    public async Task StopAsync_BeforeUnload_CarriesTheReasonAndTheWholeDrainBudgetAsTimeLeft()
    {
        var time = new FakeTimeProvider();
        using var host = BuildHost(new FakeDurableWorkQueue(), time, (SettingNames.TerminationGracePeriodSeconds, "10"));
        await host.StartAsync();
        var runtime = host.Services.GetRequiredService<IEdgeRuntime>();
        var raised = new TaskCompletionSource<BeforeUnloadEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        runtime.BeforeUnload += (_, e) => raised.TrySetResult(e);

        await host.StopAsync();
        var args = await raised.Task.WaitAsync(Hang);

        // Grace 10 s derives a shutdown timeout of 9 s and a drain budget of 8 s; the fake clock has not moved since SIGTERM.
        Assert.Equal("termination", args.ReasonName);
        Assert.Equal(TimeSpan.FromSeconds(8), args.TimeLeft);
    }

    [Fact]
    public async Task WaitUntilScoped_RequestScopeDisposed_WorkKeepsItsOwnScopeUntilItEnds()
    {
        using var host = BuildHost(new FakeDurableWorkQueue(), services => services.AddScoped<ScopeProbe>());
        var runtime = host.Services.GetRequiredService<IEdgeRuntime>();
        var requestDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        ScopeProbe? requestProbe;
        ScopeProbe? workProbe = null;
        var workProbeDisposedWhileWorking = true;
        Task work;

        using (var request = host.Services.CreateScope())
        {
            requestProbe = request.ServiceProvider.GetRequiredService<ScopeProbe>();
            work = runtime.WaitUntilScoped(
                async (services, ct) =>
                {
                    await requestDone.Task.WaitAsync(ct);
                    workProbe = services.GetRequiredService<ScopeProbe>();
                    workProbeDisposedWhileWorking = workProbe.Disposed;
                },
                "scoped");
        }

        requestDone.TrySetResult();
        await work.WaitAsync(Hang);

        Assert.True(requestProbe.Disposed);
        Assert.NotNull(workProbe);
        Assert.NotSame(requestProbe, workProbe);
        Assert.False(workProbeDisposedWhileWorking);
        Assert.True(workProbe.Disposed);
    }

    [Fact]
    public async Task WaitUntil_FaultAwaitedByTheCaller_RaisesNoRejectionAndLogsNoError()
    {
        using var host = BuildHost(new FakeDurableWorkQueue());
        var runtime = host.Services.GetRequiredService<IEdgeRuntime>();
        var logs = host.Services.GetFakeLogCollector();
        var rejections = 0;
        runtime.UnhandledRejection += (_, _) => Interlocked.Increment(ref rejections);

        var task = runtime.WaitUntil(FaultLaterAsync(), "awaited");
        await Assert.ThrowsAsync<InvalidOperationException>(() => task);
        await WaitForPendingAsync(runtime, 0);

        Assert.Equal(0, Volatile.Read(ref rejections));
        Assert.Single(logs.GetSnapshot(), r => r.Id.Id == 17);
        Assert.DoesNotContain(logs.GetSnapshot(), r => r.Id.Id == 1);
    }

    [Fact]
    public async Task WaitUntilDurableAsync_AfterDrainGaveUp_IsHandedOffAtOnce()
    {
        var queue = new FakeDurableWorkQueue();
        using var host = BuildHost(queue, (SettingNames.TerminationGracePeriodSeconds, "3"));
        await host.StartAsync();
        var runtime = host.Services.GetRequiredService<IEdgeRuntime>();
        _ = runtime.WaitUntil(ct => Task.Delay(Timeout.Infinite, ct), "straggler");
        await host.StopAsync();

        await runtime.WaitUntilDurableAsync("record", "wait-forever");
        await queue.Released.Task.WaitAsync(Hang);

        Assert.Equal(["enqueue record", "release"], queue.Calls);
    }

    private static async Task FaultLaterAsync()
    {
        await Task.Yield();
        throw new InvalidOperationException("late");
    }

    private static async Task<int> WaitForPendingAsync(IEdgeRuntime runtime, int expected)
    {
        // The continuation decrements the count just after the task completes.
        using var deadline = new CancellationTokenSource(Hang);
        while (runtime.PendingTaskCount != expected)
        {
            await Task.Yield();
            deadline.Token.ThrowIfCancellationRequested();
        }

        return runtime.PendingTaskCount;
    }

    private sealed class ContextRestorer(SynchronizationContext? context) : IDisposable
    {
        public void Dispose() => SynchronizationContext.SetSynchronizationContext(context);
    }

    private static IHost BuildHost(FakeDurableWorkQueue queue, params (string Key, string Value)[] settings) =>
        BuildHost(queue, null, null, settings);

    private static IHost BuildHost(FakeDurableWorkQueue queue, TimeProvider? time, params (string Key, string Value)[] settings) =>
        BuildHost(queue, time, null, settings);

    private static IHost BuildHost(FakeDurableWorkQueue queue, Action<IServiceCollection>? configure, params (string Key, string Value)[] settings) =>
        BuildHost(queue, null, configure, settings);

    /// <summary>A host with the runtime, fake logging, <paramref name="queue"/> and the "record" handler (the lifecycle tests' host too).</summary>
    internal static IHost BuildHost(FakeDurableWorkQueue queue, TimeProvider? time, Action<IServiceCollection>? configure, params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)));
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddFakeLogging();
        builder.AddEdgeRuntime();
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        builder.Services.AddSingleton<IDurableWorkQueue>(queue);
        builder.Services.AddSingleton(queue);
        builder.Services.AddDurableWorkHandler<RecordingHandler>("record");
        configure?.Invoke(builder.Services);
        return builder.Build();
    }

    /// <summary>A scoped service that knows when its scope ended.</summary>
    private sealed class ScopeProbe : IDisposable
    {
        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }

    /// <summary>Stops like a server whose in-flight request takes a while.</summary>
    private sealed class StopTakesService(TimeSpan stopTakes) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.Delay(stopTakes, CancellationToken.None);
    }

    /// <summary>Stops like a server with a request in flight: not before the drain has handed its work off (or 20 s pass).</summary>
    private sealed class SlowStoppingService(FakeDurableWorkQueue queue) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public async Task StopAsync(CancellationToken cancellationToken)
        {
            await Task.WhenAny(queue.Released.Task, Task.Delay(TimeSpan.FromSeconds(20), CancellationToken.None));
            queue.Calls.Enqueue("slow stop finished");
        }
    }

    private sealed class RecordingHandler(FakeDurableWorkQueue queue) : IDurableWorkHandler
    {
        public async Task ExecuteAsync(DurableWorkItem item, CancellationToken cancellationToken)
        {
            switch (item.Payload)
            {
                case "throw":
                    throw new InvalidOperationException("handler failed on purpose");
                case "wait-forever":
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                    break;
                default:
                    queue.Calls.Enqueue("run " + item.Payload);
                    break;
            }
        }
    }
}
