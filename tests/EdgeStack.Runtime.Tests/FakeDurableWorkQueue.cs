using System.Collections.Concurrent;

namespace EdgeStack.Runtime.Tests;

/// <summary>An in-memory durable queue that records every call in order.</summary>
internal sealed class FakeDurableWorkQueue : IDurableWorkQueue
{
    public ConcurrentQueue<string> Calls { get; } = new();

    public TaskCompletionSource Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource<string> Failed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Completed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TimeSpan? InvisibleFor { get; private set; }

    /// <summary>Gets or sets how long <see cref="ReleaseAsync"/> takes, as a slow queue would.</summary>
    public TimeSpan ReleaseTakes { get; set; }

    /// <summary>Gets or sets what <see cref="FailAsync"/> throws, as a queue that is down would.</summary>
    public Exception? FailThrows { get; set; }

    public Task<DurableWorkReceipt> EnqueueAsync(DurableWorkItem item, TimeSpan invisibleFor, CancellationToken cancellationToken)
    {
        InvisibleFor = invisibleFor;
        Calls.Enqueue("enqueue " + item.Handler);
        return Task.FromResult(new DurableWorkReceipt(item.Id, "lease-1"));
    }

    public Task CompleteAsync(DurableWorkReceipt receipt, CancellationToken cancellationToken)
    {
        Calls.Enqueue("complete");
        Completed.TrySetResult();
        return Task.CompletedTask;
    }

    public async Task ReleaseAsync(DurableWorkReceipt receipt, CancellationToken cancellationToken)
    {
        if (ReleaseTakes > TimeSpan.Zero)
        {
            await Task.Delay(ReleaseTakes, cancellationToken);
        }

        Calls.Enqueue("release");
        Released.TrySetResult();
    }

    public Task FailAsync(DurableWorkItem item, DurableWorkReceipt receipt, string reason, CancellationToken cancellationToken)
    {
        Calls.Enqueue("fail");
        Failed.TrySetResult(reason);
        return FailThrows is null ? Task.CompletedTask : Task.FromException(FailThrows);
    }
}
