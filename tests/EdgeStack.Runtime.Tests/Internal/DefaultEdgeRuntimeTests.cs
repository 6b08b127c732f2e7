using EdgeStack.Contracts;
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

        var running = await runtime.WaitUntilDurableAsync("record", "throw");
        await Assert.ThrowsAsync<InvalidOperationException>(() => running.WaitAsync(Hang));
        var reason = await queue.Failed.Task.WaitAsync(Hang);

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
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        _ = runtime.WaitUntil(ct => Task.Delay(Timeout.Infinite, ct).ContinueWith(_ => cancelled.TrySetResult(), TaskScheduler.Default), "slow");
        time.Advance(TimeSpan.FromSeconds(9));
        var early = cancelled.Task.IsCompleted;
        time.Advance(TimeSpan.FromSeconds(2));
        await cancelled.Task.WaitAsync(Hang);

        Assert.False(early);
        Assert.Single(logs.GetSnapshot(), r => r.Id.Id == 2);
        Assert.Equal(0, await WaitForPendingAsync(runtime, 0));
    }

    [Fact]
    public async Task WaitUntil_TasksStartedAtDifferentTimes_EachTimesOutAtItsOwnDeadline()
    {
        var time = new FakeTimeProvider();
        using var host = BuildHost(new FakeDurableWorkQueue(), time, (SettingNames.TaskTimeoutSeconds, "10"));
        var runtime = host.Services.GetRequiredService<IEdgeRuntime>();
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var second = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        _ = runtime.WaitUntil(ct => Task.Delay(Timeout.Infinite, ct).ContinueWith(_ => first.TrySetResult(), TaskScheduler.Default), "first");
        time.Advance(TimeSpan.FromSeconds(5));
        _ = runtime.WaitUntil(ct => Task.Delay(Timeout.Infinite, ct).ContinueWith(_ => second.TrySetResult(), TaskScheduler.Default), "second");
        time.Advance(TimeSpan.FromSeconds(6));
        await first.Task.WaitAsync(Hang);
        var secondEarly = second.Task.IsCompleted;
        time.Advance(TimeSpan.FromSeconds(5));
        await second.Task.WaitAsync(Hang);

        Assert.False(secondEarly);
        Assert.Equal(0, await WaitForPendingAsync(runtime, 0));
    }

    [Fact]
    public async Task WaitUntil_TaskAlreadyFaulted_RaisesRejectionExactlyOnce()
    {
        using var host = BuildHost(new FakeDurableWorkQueue());
        var runtime = host.Services.GetRequiredService<IEdgeRuntime>();
        var logs = host.Services.GetFakeLogCollector();
        var names = new List<string?>();
        runtime.UnhandledRejection += (_, e) => names.Add(e.TaskName);

        _ = runtime.WaitUntil(Task.FromException(new InvalidOperationException("early")), "pre-faulted");
        var late = runtime.WaitUntil(FaultLaterAsync(), "late-fault");
        await Assert.ThrowsAsync<InvalidOperationException>(() => late.WaitAsync(Hang));
        await WaitForPendingAsync(runtime, 0);

        Assert.Equal(["pre-faulted", "late-fault"], names);
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

        var task = runtime.WaitUntil(_ => Task.Delay(Timeout.Infinite, foreign.Token), "http-timeout");
        await foreign.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task.WaitAsync(Hang));
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
        var drained = Assert.Single(logs.GetSnapshot(), r => r.Id.Id == 5);
        Assert.Equal("1", drained.StructuredState!.Single(p => p.Key == "AbandonedTasks").Value);
        Assert.Equal("1", drained.StructuredState!.Single(p => p.Key == "HandedOffTasks").Value);
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

    private static IHost BuildHost(FakeDurableWorkQueue queue, params (string Key, string Value)[] settings) =>
        BuildHost(queue, null, null, settings);

    private static IHost BuildHost(FakeDurableWorkQueue queue, TimeProvider? time, params (string Key, string Value)[] settings) =>
        BuildHost(queue, time, null, settings);

    private static IHost BuildHost(FakeDurableWorkQueue queue, Action<IServiceCollection>? configure, params (string Key, string Value)[] settings) =>
        BuildHost(queue, null, configure, settings);

    private static IHost BuildHost(FakeDurableWorkQueue queue, TimeProvider? time, Action<IServiceCollection>? configure, params (string Key, string Value)[] settings)
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
