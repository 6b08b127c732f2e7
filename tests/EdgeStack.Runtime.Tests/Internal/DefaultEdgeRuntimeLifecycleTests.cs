using System.Collections.Concurrent;
using EdgeStack.Contracts;
using EdgeStack.Runtime.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace EdgeStack.Runtime.Tests.Internal;

/// <summary>The runtime in a real host, in this process: readiness, the start of the stop, BeforeUnload, UnhandledRejection, retiring.</summary>
public sealed class DefaultEdgeRuntimeLifecycleTests
{
    private const int TaskFailed = 1;
    private const int BeforeUnloadHandlerFailed = 6;
    private const int UnhandledRejectionHandlerFailed = 7;
    private const int Retiring = 11;
    private const int TaskFailureHandled = 12;
    private const int BeforeUnloadRaised = 14;
    private const int BeforeUnloadHandlerTimedOut = 16;
    private const int StoppedWhileStarting = 19;

    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task IsReady_BeforeStartAfterStartAndAfterStop_IsFalseTrueFalse()
    {
        using var host = BuildHost();
        var runtime = host.Services.GetRequiredService<IEdgeRuntime>();

        var beforeStart = runtime.IsReady;
        await host.StartAsync();
        var started = runtime.IsReady;
        await host.StopAsync();

        Assert.False(beforeStart);
        Assert.True(started);
        Assert.False(runtime.IsReady);
    }

    [Fact]
    public void DrainTimeLeft_BeforeTheStop_IsTheWholeBudgetHoweverLongTheInstanceRan()
    {
        var time = new FakeTimeProvider();
        using var host = BuildHost(time);
        var runtime = host.Services.GetRequiredService<DefaultEdgeRuntime>();

        time.Advance(TimeSpan.FromHours(1));

        // Grace 30 s derives a shutdown timeout of 27 s and a drain budget of 24 s.
        Assert.Equal(TimeSpan.FromSeconds(24), runtime.DrainTimeLeft);
        Assert.Equal(TimeSpan.FromSeconds(30), runtime.GraceTimeLeft);
    }

    [Fact]
    public void DrainTimeLeft_PartOfTheBudgetPassed_IsTheBudgetLessTheTimeSinceTheStopBegan()
    {
        var time = new FakeTimeProvider();
        using var host = BuildHost(time);
        var runtime = host.Services.GetRequiredService<DefaultEdgeRuntime>();
        time.Advance(TimeSpan.FromMinutes(5));

        runtime.BeginStop(ShutdownReason.Termination);
        time.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal(TimeSpan.FromSeconds(21), runtime.DrainTimeLeft);
        Assert.Equal(TimeSpan.FromSeconds(27), runtime.GraceTimeLeft);
    }

    [Fact]
    public void DrainTimeLeft_BudgetPassed_IsZeroNotNegative()
    {
        // The stop watchdog exits the process at grace less the exit margin (29 s): the clock stays short of it.
        var time = new FakeTimeProvider();
        using var host = BuildHost(time);
        var runtime = host.Services.GetRequiredService<DefaultEdgeRuntime>();

        runtime.BeginStop(ShutdownReason.Termination);
        time.Advance(TimeSpan.FromSeconds(25));

        Assert.Equal(TimeSpan.Zero, runtime.DrainTimeLeft);
        Assert.Equal(TimeSpan.FromSeconds(5), runtime.GraceTimeLeft);
    }

    [Fact]
    public void BeginStop_SecondCall_KeepsTheFirstReasonAndTheFirstStartOfTheClock()
    {
        var time = new FakeTimeProvider();
        using var host = BuildHost(time);
        var runtime = host.Services.GetRequiredService<DefaultEdgeRuntime>();

        var first = runtime.BeginStop(ShutdownReason.Memory);
        time.Advance(TimeSpan.FromSeconds(5));
        var second = runtime.BeginStop(ShutdownReason.Cpu);

        Assert.True(first);
        Assert.False(second);
        Assert.Equal(ShutdownReason.Memory, runtime.StopReason);
        Assert.Equal(TimeSpan.FromSeconds(19), runtime.DrainTimeLeft);
    }

    [Fact]
    public async Task Retire_CalledTwice_RaisesBeforeUnloadOnceWithTheFirstReasonAndStopsTheHost()
    {
        using var host = BuildHost();
        await host.StartAsync();
        var runtime = host.Services.GetRequiredService<IEdgeRuntime>();
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        var logs = host.Services.GetFakeLogCollector();
        var reasons = new ConcurrentQueue<string>();
        var raised = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        runtime.BeforeUnload += (_, e) =>
        {
            reasons.Enqueue(e.ReasonName);
            raised.TrySetResult();
        };

        runtime.Retire(ShutdownReason.Memory);
        runtime.Retire(ShutdownReason.Cpu);
        await raised.Task.WaitAsync(Hang);
        var readyWhileRetiring = runtime.IsReady;
        await host.StopAsync();

        Assert.True(lifetime.ApplicationStopping.IsCancellationRequested);
        Assert.False(readyWhileRetiring);
        Assert.Equal(["memory"], reasons);
        Assert.Single(RuntimeEvents(logs, BeforeUnloadRaised));
        var retiring = Assert.Single(RuntimeEvents(logs, Retiring));
        Assert.Equal("memory", retiring.StructuredState!.Single(p => p.Key == "Reason").Value);
    }

    [Fact]
    public async Task Retire_BeforeTheHostStarted_ReportsAStopWhileStarting()
    {
        using var host = BuildHost();
        var runtime = host.Services.GetRequiredService<IEdgeRuntime>();
        var logs = host.Services.GetFakeLogCollector();
        var raised = new TaskCompletionSource<BeforeUnloadEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        runtime.BeforeUnload += (_, e) => raised.TrySetResult(e);

        runtime.Retire(ShutdownReason.WallClock);
        var args = await raised.Task.WaitAsync(Hang);

        Assert.Equal(ShutdownReason.WallClock, args.Reason);
        Assert.Single(RuntimeEvents(logs, StoppedWhileStarting));
    }

    [Fact]
    public async Task Retire_AfterTheHostStarted_IsNoStopWhileStarting()
    {
        using var host = BuildHost();
        await host.StartAsync();
        var runtime = host.Services.GetRequiredService<IEdgeRuntime>();
        var logs = host.Services.GetFakeLogCollector();

        runtime.Retire(ShutdownReason.WallClock);
        await host.StopAsync();

        Assert.Single(RuntimeEvents(logs, Retiring));
        Assert.Empty(RuntimeEvents(logs, StoppedWhileStarting));
    }

    [Fact]
    public async Task StopAsync_BeforeUnloadHandlerOutlastsTheDrainBudget_IsLoggedByNameAndLeftBehind()
    {
        using var host = BuildHost((SettingNames.TerminationGracePeriodSeconds, "10"), (SettingNames.DrainBudgetSeconds, "0.5"));
        await host.StartAsync();
        var runtime = host.Services.GetRequiredService<IEdgeRuntime>();
        var logs = host.Services.GetFakeLogCollector();
        using var hanging = new HangingHandler();
        var quickRan = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        runtime.BeforeUnload += hanging.Handle;
        runtime.BeforeUnload += (_, _) => quickRan.TrySetResult();

        await host.StopAsync().WaitAsync(Hang);

        await quickRan.Task.WaitAsync(Hang);
        // Only the hanging handler is sure to be still running at the budget's end: the quick one may not have had a
        // thread yet on a loaded machine (the process test checks that a handler that returned is not logged).
        var hangingName = typeof(HangingHandler).FullName + "." + nameof(HangingHandler.Handle);
        Assert.Single(RuntimeEvents(logs, BeforeUnloadHandlerTimedOut), r => r.StructuredState!.Single(p => p.Key == "Handler").Value == hangingName);
    }

    [Fact]
    public async Task StopAsync_BeforeUnloadHandlerThrows_TheOthersStillRunAndTheFailureIsLogged()
    {
        using var host = BuildHost();
        await host.StartAsync();
        var runtime = host.Services.GetRequiredService<IEdgeRuntime>();
        var logs = host.Services.GetFakeLogCollector();
        var otherRan = false;
        runtime.BeforeUnload += (_, _) => throw new InvalidOperationException("handler failed on purpose");
        runtime.BeforeUnload += (_, _) => Volatile.Write(ref otherRan, true);

        await host.StopAsync();

        Assert.True(Volatile.Read(ref otherRan));
        var failed = Assert.Single(RuntimeEvents(logs, BeforeUnloadHandlerFailed));
        Assert.IsType<InvalidOperationException>(failed.Exception);
    }

    [Fact]
    public async Task UnhandledRejection_HandlerThrows_TheFaultIsStillReportedAndTheOtherHandlersRun()
    {
        using var host = BuildHost();
        var runtime = host.Services.GetRequiredService<IEdgeRuntime>();
        var logs = host.Services.GetFakeLogCollector();
        var secondSaw = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        runtime.UnhandledRejection += (_, _) => throw new InvalidOperationException("handler failed on purpose");
        runtime.UnhandledRejection += (_, e) => secondSaw.TrySetResult(e.TaskName);

        _ = runtime.WaitUntil(Task.FromException(new IOException("background work failed")), "faulty");
        var name = await secondSaw.Task.WaitAsync(Hang);
        await WaitForLogAsync(logs, TaskFailed);

        Assert.Equal("faulty", name);
        Assert.Single(RuntimeEvents(logs, UnhandledRejectionHandlerFailed));
        var failed = Assert.Single(RuntimeEvents(logs, TaskFailed));
        Assert.IsType<IOException>(failed.Exception);
    }

    [Fact]
    public async Task UnhandledRejection_HandlerHandlesIt_NoErrorIsLoggedAndTheInstanceKeepsServing()
    {
        using var host = BuildHost((SettingNames.RetireOnUnhandledRejection, "true"));
        await host.StartAsync();
        var runtime = host.Services.GetRequiredService<IEdgeRuntime>();
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        var logs = host.Services.GetFakeLogCollector();
        runtime.UnhandledRejection += (_, e) => e.Handled = true;

        _ = runtime.WaitUntil(Task.FromException(new IOException("background work failed")), "handled");
        await WaitForLogAsync(logs, TaskFailureHandled);

        Assert.Empty(RuntimeEvents(logs, TaskFailed));
        Assert.False(lifetime.ApplicationStopping.IsCancellationRequested);
        Assert.True(runtime.IsReady);
        await host.StopAsync();
    }

    [Fact]
    public async Task UnhandledRejection_NobodyHandlesItWithRetireOnUnhandledRejection_RetiresWithEarlyDrop()
    {
        using var host = BuildHost((SettingNames.RetireOnUnhandledRejection, "true"));
        await host.StartAsync();
        var runtime = host.Services.GetRequiredService<IEdgeRuntime>();
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        var raised = new TaskCompletionSource<BeforeUnloadEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        runtime.BeforeUnload += (_, e) => raised.TrySetResult(e);

        _ = runtime.WaitUntil(Task.FromException(new IOException("background work failed")), "unhandled");
        var args = await raised.Task.WaitAsync(Hang);

        Assert.Equal("early_drop", args.ReasonName);
        Assert.True(lifetime.ApplicationStopping.IsCancellationRequested);
        await host.StopAsync();
    }

    [Fact]
    public async Task RunJobAsync_BackgroundTaskFaultsUnhandled_ReturnsOne()
    {
        using var host = BuildHost();

        var exitCode = await host.RunJobAsync(
            (services, cancellationToken) =>
            {
                _ = services.GetRequiredService<IEdgeRuntime>().WaitUntil(Task.FromException(new IOException("background work failed")), "faulty");
                return Task.CompletedTask;
            }).WaitAsync(Hang);

        Assert.Equal(1, exitCode);
    }

    [Fact]
    public async Task RunJobAsync_WorkEndsOfItself_RaisesNoBeforeUnload()
    {
        using var host = BuildHost();
        var runtime = host.Services.GetRequiredService<IEdgeRuntime>();
        var raised = false;
        runtime.BeforeUnload += (_, _) => Volatile.Write(ref raised, true);

        var exitCode = await host.RunJobAsync((_, _) => Task.CompletedTask).WaitAsync(Hang);

        Assert.Equal(0, exitCode);
        Assert.False(Volatile.Read(ref raised));
    }

    [Fact]
    public async Task WaitUntilDurableAsync_NoQueueRegistered_ThrowsNamingTheMissingService()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.AddEdgeRuntime();
        builder.Services.AddDurableWorkHandler<NoOpHandler>("record");
        using var host = builder.Build();
        var runtime = host.Services.GetRequiredService<IEdgeRuntime>();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => runtime.WaitUntilDurableAsync("record", "{}"));

        Assert.Contains(nameof(IDurableWorkQueue), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EntryPoints_NullArguments_AreRefusedAtTheCallNotInTheBackground()
    {
        using var host = BuildHost();
        var runtime = host.Services.GetRequiredService<IEdgeRuntime>();
        var receipt = new DurableWorkReceipt("item-1", "lease-1");
        var item = new DurableWorkItem("item-1", "record", "{}");

        Assert.Throws<ArgumentNullException>("task", () => { _ = runtime.WaitUntil((Task)null!); });
        Assert.Throws<ArgumentNullException>("work", () => { _ = runtime.WaitUntil((Func<CancellationToken, Task>)null!); });
        Assert.Throws<ArgumentNullException>("work", () => { _ = runtime.WaitUntilScoped(null!); });
        await Assert.ThrowsAsync<ArgumentNullException>("handler", () => runtime.WaitUntilDurableAsync(null!, "{}"));
        await Assert.ThrowsAsync<ArgumentNullException>("payload", () => runtime.WaitUntilDurableAsync("record", null!));
        Assert.Throws<ArgumentNullException>("item", () => { _ = runtime.RunDurable(null!, receipt); });
        Assert.Throws<ArgumentNullException>("receipt", () => { _ = runtime.RunDurable(item, null!); });
        Assert.Equal(0, runtime.PendingTaskCount);
    }

    /// <summary>The runtime's own log records with this event id (the host logs under ids of its own).</summary>
    private static IEnumerable<FakeLogRecord> RuntimeEvents(FakeLogCollector logs, int eventId) =>
        logs.GetSnapshot().Where(r => r.Category == Log.Category && r.Id.Id == eventId);

    private static async Task WaitForLogAsync(FakeLogCollector logs, int eventId)
    {
        using var deadline = new CancellationTokenSource(Hang);
        while (!RuntimeEvents(logs, eventId).Any())
        {
            await Task.Yield();
            deadline.Token.ThrowIfCancellationRequested();
        }
    }

    private static IHost BuildHost(params (string Key, string Value)[] settings) => BuildHost(null, settings);

    private static IHost BuildHost(TimeProvider? time, params (string Key, string Value)[] settings) =>
        DefaultEdgeRuntimeTests.BuildHost(new FakeDurableWorkQueue(), time, null, settings);

    /// <summary>A BeforeUnload handler that does not return until the test ends.</summary>
    private sealed class HangingHandler : IDisposable
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Handle(object? sender, BeforeUnloadEventArgs e) => _release.Task.Wait(Hang);

        public void Dispose() => _release.TrySetResult();
    }

    private sealed class NoOpHandler : IDurableWorkHandler
    {
        public Task ExecuteAsync(DurableWorkItem item, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
