using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EdgeStack.Runtime.Benchmarks;

/// <summary>What tracking one background task costs, through the public <see cref="IEdgeRuntime"/> of a real (unstarted) host.</summary>
[MemoryDiagnoser]
public class WaitUntilBenchmarks : IDisposable
{
    private static readonly Func<CancellationToken, Task> s_noop = static _ => Task.CompletedTask;
    private static readonly Action s_noopAction = static () => { };
    private IHost _host = null!;
    private IEdgeRuntime _runtime = null!;

    [GlobalSetup]
    public void Setup()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.AddEdgeRuntime();
        _host = builder.Build();
        _runtime = _host.Services.GetRequiredService<IEdgeRuntime>();
    }

    [GlobalCleanup]
    public void Cleanup() => Dispose();

    /// <summary>The pending task on its own: made and completed, not tracked. Subtract it from <see cref="WaitUntilPendingTask"/>.</summary>
    [Benchmark(Baseline = true)]
    public Task PendingTaskAlone()
    {
        var source = new TaskCompletionSource();
        source.SetResult();
        return source.Task;
    }

    /// <summary>WaitUntil(Task) of a pending task that then completes: link, continuation, unlink, metrics.</summary>
    [Benchmark]
    public Task WaitUntilPendingTask()
    {
        var source = new TaskCompletionSource();
        var task = _runtime.WaitUntil(source.Task);
        source.SetResult();
        return task;
    }

    /// <summary>WaitUntil(Task) of a task already completed: the fast path.</summary>
    [Benchmark]
    public Task WaitUntilCompletedTask() => _runtime.WaitUntil(Task.CompletedTask);

    /// <summary>WaitUntil(Func): starts the work on the thread pool with its own cancellation and tracks it.</summary>
    [Benchmark]
    public Task WaitUntilFunc() => _runtime.WaitUntil(s_noop);

    /// <summary>The fire-and-forget the runtime replaces: Task.Run of the same no-op.</summary>
    [Benchmark]
    public Task TaskRunFireAndForget() => Task.Run(s_noopAction);

    public void Dispose()
    {
        _host?.Dispose();
        GC.SuppressFinalize(this);
    }
}
