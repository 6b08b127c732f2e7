using System.Collections.Concurrent;
using Azure.Storage.Queues;
using EdgeStack.Contracts;
using EdgeStack.Runtime;
using EdgeStack.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EdgeStack.Azure.Tests;

/// <summary>A function's own receive loop on a real host against Azurite: what it runs, what it poisons and how many at once (the byte budget: <see cref="DurableWorkConsumerTests"/>).</summary>
[Collection(AzuriteCollection.Name)]
public sealed class DurableWorkConsumerHostTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Handler = "record";
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);
    private readonly string _function = "consumer-" + Guid.NewGuid().ToString("N")[..12];
    private readonly Runs _runs = new();
    private QueueClient _jobs = null!;
    private QueueClient _poison = null!;

    public async Task InitializeAsync()
    {
        var queues = new QueueServiceClient(azurite.ConnectionString);
        _jobs = queues.GetQueueClient(StorageNames.WorkQueueOf(_function));
        _poison = queues.GetQueueClient(StorageNames.PoisonQueueOf(_function));
        await _jobs.CreateIfNotExistsAsync();
        await _poison.CreateIfNotExistsAsync();
    }

    public async Task DisposeAsync()
    {
        await _jobs.DeleteIfExistsAsync();
        await _poison.DeleteIfExistsAsync();
    }

    [Fact]
    public async Task Consumer_WorkForItsHandler_RunsItOnceAndDeletesTheMessage()
    {
        using var host = await StartAsync();

        await SendAsync(new DurableWorkEnvelope("w-ok", Handler, "payload-1"));
        var run = await _runs.Next.WaitAsync(s_timeout);
        await Poll.UntilAsync(async () => (await _jobs.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0, s_timeout, "the finished message deleted");

        Assert.Equal(("w-ok", "payload-1"), (run.Id, run.Payload));
        Assert.Empty((await _poison.PeekMessagesAsync(32)).Value);
    }

    [Fact]
    public async Task Consumer_WorkForAHandlerThatDoesNotRunHere_GoesToPoisonAtOnceUnrun()
    {
        using var host = await StartAsync();

        await SendAsync(new DurableWorkEnvelope("w-elsewhere", "elsewhere", "{}"));
        var poisoned = await PoisonedAsync("w-elsewhere");

        Assert.Equal(1, poisoned.DequeueCount);
        Assert.Contains("'elsewhere'", poisoned.Reason, StringComparison.Ordinal);
        Assert.Equal(0, _runs.Count);
    }

    [Fact]
    public async Task Consumer_MessageHandedOutMoreThanMaxDequeueCount_GoesToPoisonUnrun()
    {
        // Handed out once already (by an instance that died with it): with at most one dequeue, the next is too many.
        await SendAsync(new DurableWorkEnvelope("w-tired", Handler, "{}"));
        await _jobs.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(1));
        using var host = await StartAsync(("MaxDequeueCount", "1"));

        var poisoned = await PoisonedAsync("w-tired");

        Assert.Equal(2, poisoned.DequeueCount);
        Assert.Contains("at most 1", poisoned.Reason, StringComparison.Ordinal);
        Assert.Equal(0, _runs.Count);
    }

    [Fact]
    public async Task Consumer_MessageAtMaxDequeueCount_StillRuns()
    {
        // Handed out once already; with at most two dequeues, this one is the last try, not one too many.
        await SendAsync(new DurableWorkEnvelope("w-last-try", Handler, "last"));
        await _jobs.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(1));
        using var host = await StartAsync(("MaxDequeueCount", "2"));

        var run = await _runs.Next.WaitAsync(s_timeout);

        Assert.Equal(("w-last-try", 2), (run.Id, run.DequeueCount));
    }

    [Fact]
    public async Task Consumer_UnreadableMessage_GoesToPoisonAtOnceAndTheNextWorkStillRuns()
    {
        // One slot: a poisoned message must give its slot back, or the consumer stops taking work.
        using var host = await StartAsync(("MaxConcurrency", "1"));

        await _jobs.SendMessageAsync("not an envelope");
        var poisoned = await Poll.UntilAsync(async () => (await PeekPoisonAsync()) is [var first, ..] ? first : null, s_timeout, "the unreadable message in poison");
        await SendAsync(new DurableWorkEnvelope("w-after", Handler, "after"));
        var run = await _runs.Next.WaitAsync(s_timeout);

        Assert.Equal(1, poisoned.DequeueCount);
        Assert.Equal("w-after", run.Id);
    }

    [Fact]
    public async Task Consumer_MaxConcurrency_RunsNoMoreThanThatAtOnce()
    {
        _runs.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var host = await StartAsync(("MaxConcurrency", "2"));

        for (var i = 0; i < 5; i++)
        {
            await SendAsync(new DurableWorkEnvelope($"w-{i}", Handler, "{}"));
        }

        await _runs.Next.WaitAsync(s_timeout);
        await _runs.Next.WaitAsync(s_timeout);
        var whileHeld = await _runs.RunningAfterAWhileAsync();
        _runs.Hold.SetResult();
        await Poll.UntilAsync(() => Task.FromResult(_runs.Count == 5), s_timeout, "all five runs");

        Assert.Equal(2, whileHeld);
        Assert.Equal(2, _runs.MostAtOnce);
    }

    private async Task<IHost> StartAsync(params (string Key, string Value)[] jobs)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        var settings = new Dictionary<string, string?>
        {
            [SettingNames.StorageConnectionString] = azurite.ConnectionString,
            [SettingNames.FunctionName] = _function,
            [SettingNames.JobsMaxPollIntervalMilliseconds] = "100",
        };
        foreach (var (key, value) in jobs)
        {
            settings[DurableQueueOptions.SectionName + ":" + key] = value;
        }

        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddEdgeRuntime();
        builder.AddEdgeStackDurableWork();
        builder.Services.AddSingleton(_runs);
        builder.Services.AddDurableWorkHandler<RecordingHandler>(Handler);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private async Task SendAsync(DurableWorkEnvelope envelope) => await _jobs.SendMessageAsync(AzureQueueDurableWorkQueue.EncodeMessage(envelope));

    private Task<PoisonedWork> PoisonedAsync(string workId) =>
        Poll.UntilAsync(async () => (await PeekPoisonAsync()).FirstOrDefault(p => p.Message?.Contains(workId, StringComparison.Ordinal) == true), s_timeout, $"{workId} in poison");

    private async Task<IReadOnlyList<PoisonedWork>> PeekPoisonAsync() =>
        (await _poison.PeekMessagesAsync(32)).Value
            .Select(m => System.Text.Json.JsonSerializer.Deserialize<PoisonedWork>(Convert.FromBase64String(m.Body.ToString()))!)
            .ToList();

    /// <summary>What the handler saw: each run in order, how many ran at once, and a gate that holds them.</summary>
    private sealed class Runs
    {
        private readonly ConcurrentQueue<DurableWorkItem> _done = new();
        private readonly Lock _gate = new();
        private readonly List<TaskCompletionSource<DurableWorkItem>> _signals = [];
        private int _next;
        private int _started;
        private int _running;
        private int _most;

        public TaskCompletionSource Hold { get; set; } = CompletedHold();

        public int Count => _done.Count;

        public int MostAtOnce => Volatile.Read(ref _most);

        /// <summary>Completes with the next run not yet awaited, in start order.</summary>
        public Task<DurableWorkItem> Next
        {
            get
            {
                lock (_gate)
                {
                    return Signal(_next++).Task;
                }
            }
        }

        public async Task RunAsync(DurableWorkItem item)
        {
            var running = Interlocked.Increment(ref _running);
            lock (_gate)
            {
                _most = Math.Max(_most, running);
                Signal(_started++).TrySetResult(item);
            }

            await Hold.Task;
            Interlocked.Decrement(ref _running);
            _done.Enqueue(item);
        }

        /// <summary>How many runs are held once the consumer has had several poll intervals to start more.</summary>
        public async Task<int> RunningAfterAWhileAsync()
        {
            // A bound on a hang, not a wait for an event: the point is that nothing more starts.
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            return Volatile.Read(ref _running);
        }

        private static TaskCompletionSource CompletedHold()
        {
            var hold = new TaskCompletionSource();
            hold.SetResult();
            return hold;
        }

        private TaskCompletionSource<DurableWorkItem> Signal(int index)
        {
            while (_signals.Count <= index)
            {
                _signals.Add(new TaskCompletionSource<DurableWorkItem>(TaskCreationOptions.RunContinuationsAsynchronously));
            }

            return _signals[index];
        }
    }

    private sealed class RecordingHandler(Runs runs) : IDurableWorkHandler
    {
        public Task ExecuteAsync(DurableWorkItem item, CancellationToken cancellationToken) => runs.RunAsync(item);
    }
}
