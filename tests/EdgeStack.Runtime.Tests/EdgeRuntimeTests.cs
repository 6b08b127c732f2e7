using EdgeStack.Runtime.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace EdgeStack.Runtime.Tests;

/// <summary>The static façade reaches the runtime of the app in this process, and only while that app lives.</summary>
[Collection(ProcessWideState.Name)]
public sealed class EdgeRuntimeTests
{
    private const int TaskFailed = 1;

    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    [Fact]
    public void Current_AfterTheAppIsDisposed_ThrowsNamingWhatToCall()
    {
        var host = BuildHost();
        var runtime = host.Services.GetRequiredService<IEdgeRuntime>();
        var whileAlive = EdgeRuntime.Current;

        host.Dispose();
        var error = Assert.Throws<InvalidOperationException>(() => EdgeRuntime.Current);

        Assert.Same(runtime, whileAlive);
        Assert.Contains("AddEdgeRuntime()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BeforeUnload_HandlersAddedAndRemovedThroughTheFacade_OnlyTheRemainingOneRuns()
    {
        using var host = BuildHost();
        await host.StartAsync();
        var runtime = host.Services.GetRequiredService<IEdgeRuntime>();
        var kept = 0;
        var removed = 0;
        EventHandler<BeforeUnloadEventArgs> keptHandler = (_, _) => Interlocked.Increment(ref kept);
        EventHandler<BeforeUnloadEventArgs> removedHandler = (_, _) => Interlocked.Increment(ref removed);

        EdgeRuntime.BeforeUnload += keptHandler;
        EdgeRuntime.BeforeUnload += removedHandler;
        EdgeRuntime.BeforeUnload -= removedHandler;
        runtime.Retire(ShutdownReason.Memory);
        await host.StopAsync();

        // The stop waits for the BeforeUnload handlers (they finish well within the drain budget).
        Assert.Equal(1, Volatile.Read(ref kept));
        Assert.Equal(0, Volatile.Read(ref removed));
    }

    [Fact]
    public async Task UnhandledRejection_HandlersAddedAndRemovedThroughTheFacade_OnlyTheRemainingOneRuns()
    {
        using var host = BuildHost();
        var runtime = host.Services.GetRequiredService<IEdgeRuntime>();
        var logs = host.Services.GetFakeLogCollector();
        var kept = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var removed = 0;
        EventHandler<UnhandledRejectionEventArgs> keptHandler = (_, e) => kept.TrySetResult(e.TaskName);
        EventHandler<UnhandledRejectionEventArgs> removedHandler = (_, _) => Interlocked.Increment(ref removed);

        EdgeRuntime.UnhandledRejection += keptHandler;
        EdgeRuntime.UnhandledRejection += removedHandler;
        EdgeRuntime.UnhandledRejection -= removedHandler;
        _ = EdgeRuntime.WaitUntil(Task.FromException(new IOException("background work failed")), "faulty");
        var name = await kept.Task.WaitAsync(Hang);
        await WaitForLogAsync(logs, TaskFailed);

        // TaskFailed is logged after every handler has run.
        Assert.Equal("faulty", name);
        Assert.Equal(0, Volatile.Read(ref removed));
        Assert.Equal(0, runtime.PendingTaskCount);
    }

    private static async Task WaitForLogAsync(FakeLogCollector logs, int eventId)
    {
        using var deadline = new CancellationTokenSource(Hang);
        while (!logs.GetSnapshot().Any(r => r.Category == Log.Category && r.Id.Id == eventId))
        {
            await Task.Yield();
            deadline.Token.ThrowIfCancellationRequested();
        }
    }

    private static IHost BuildHost()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddFakeLogging();
        builder.AddEdgeRuntime();
        return builder.Build();
    }
}
