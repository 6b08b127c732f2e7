using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using EdgeStack.Runtime;
using Microsoft.Extensions.Logging;

namespace EdgeStack.Azure.Tests;

/// <summary>Runs WaitUntil work on the thread pool and remembers it, so tests can wait for every background task.</summary>
internal sealed class FakeEdgeRuntime : IEdgeRuntime
{
    private readonly ConcurrentQueue<Task> _tasks = new();

    public event EventHandler<BeforeUnloadEventArgs>? BeforeUnload;

    public event EventHandler<UnhandledRejectionEventArgs>? UnhandledRejection;

    public bool IsReady => true;

    public int PendingTaskCount => _tasks.Count(t => !t.IsCompleted);

    public int Started => _tasks.Count;

    public Task WaitUntil(Task task, string? name = null)
    {
        _tasks.Enqueue(task);
        return task;
    }

    public Task WaitUntil(Func<CancellationToken, Task> work, string? name = null) => WaitUntil(Task.Run(() => work(CancellationToken.None)), name);

    public Task WaitUntilScoped(Func<IServiceProvider, CancellationToken, Task> work, string? name = null) => throw new NotSupportedException();

    public Task<Task> WaitUntilDurableAsync(string handler, string payload, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task RunDurable(DurableWorkItem item, DurableWorkReceipt receipt) => throw new NotSupportedException();

    public void Retire(ShutdownReason reason)
    {
        BeforeUnload?.Invoke(this, new BeforeUnloadEventArgs(reason, TimeSpan.FromSeconds(1)));
        UnhandledRejection?.Invoke(this, new UnhandledRejectionEventArgs(new InvalidOperationException(), null));
    }

    public async Task WaitForIdleAsync(TimeSpan timeout)
    {
        while (_tasks.Any(t => !t.IsCompleted))
        {
            await Task.WhenAll(_tasks.ToArray()).WaitAsync(timeout);
        }
    }
}

/// <summary>The analytics sink's side of HTTP: records each batch and its key; can hold requests until released.</summary>
internal sealed class FakeSink : HttpMessageHandler
{
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _firstArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public FakeSink(bool startOpen = true)
    {
        if (startOpen)
        {
            _open.SetResult();
        }
    }

    public ConcurrentQueue<List<AnalyticsEvent>> Batches { get; } = new();

    public ConcurrentQueue<string?> Keys { get; } = new();

    public Task FirstArrived => _firstArrived.Task;

    public IEnumerable<AnalyticsEvent> Events => Batches.SelectMany(b => b);

    /// <summary>Statuses the next requests get, in order, before the sink answers 200 again; only a 2xx stores its batch.</summary>
    public ConcurrentQueue<HttpStatusCode> Answers { get; } = new();

    /// <summary>Every request that reached the sink, answered or refused.</summary>
    public int Attempts => Volatile.Read(ref _attempts);

    private int _attempts;

    public void Open() => _open.TrySetResult();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        _firstArrived.TrySetResult();
        await _open.Task.WaitAsync(cancellationToken);
        Interlocked.Increment(ref _attempts);
        if (Answers.TryDequeue(out var refused))
        {
            return new HttpResponseMessage(refused);
        }

        var body = await request.Content!.ReadAsStringAsync(cancellationToken);
        Batches.Enqueue(JsonSerializer.Deserialize<List<AnalyticsEvent>>(body)!);
        Keys.Enqueue(request.Headers.TryGetValues("apikey", out var keys) ? keys.Single() : null);
        return new HttpResponseMessage(HttpStatusCode.OK);
    }
}

internal sealed class FakeHttpClientFactory(HttpMessageHandler handler) : IHttpClientFactory
{
    public HttpClient CreateClient(string name) => new(handler, disposeHandler: false);
}

/// <summary>Records the event ids logged, and each event's values.</summary>
internal sealed class RecordingLogger<T> : ILogger<T>
{
    public ConcurrentQueue<EventId> Events { get; } = new();

    public ConcurrentQueue<(EventId Id, IReadOnlyDictionary<string, object?> Values)> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        Events.Enqueue(eventId);
        var values = state as IEnumerable<KeyValuePair<string, object?>> ?? [];
        Entries.Enqueue((eventId, values.ToDictionary(v => v.Key, v => v.Value)));
    }
}
