using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using EdgeStack.Azure.Internal;
using EdgeStack.Contracts;
using EdgeStack.Runtime;
using EdgeStack.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Xunit.Abstractions;

namespace EdgeStack.Azure.Tests;

/// <summary>A real consumer (a host with durable work) on a real Azurite queue, fed with many large staged payloads.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class DurableWorkConsumerTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private const string Handler = "hold";
    private const int PayloadBytes = 1024 * 1024;
    private const int Items = 24;
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Consumer_ManyLargeStagedPayloads_NeverHoldsMoreThanTheBudget()
    {
        const long budget = 4L * PayloadBytes;

        var run = await RunAsync("budget-bound", budget);

        Assert.InRange(run.PeakMetricBytes, PayloadBytes, budget);
        Assert.InRange(run.PeakHandlerBytes, PayloadBytes, budget);
    }

    [Fact]
    public async Task Consumer_ManyLargeStagedPayloads_HandlesEachExactlyOnceAndLeavesNothingBehind()
    {
        var run = await RunAsync("budget-once", 4L * PayloadBytes);

        Assert.Equal(Items, run.Handled.Count);
        Assert.All(run.Handled.Values, count => Assert.Equal(1, count));
        Assert.Equal((0, 0, 0), (run.MessagesLeft, run.PoisonLeft, run.StagedLeft));
    }

    [Fact]
    public async Task Consumer_BudgetOfOnePayload_RunsTheItemsOneAtATime()
    {
        var run = await RunAsync("budget-one", PayloadBytes);

        Assert.Equal((Items, PayloadBytes), (run.Handled.Count, run.PeakHandlerBytes));
    }

    [Fact]
    public async Task Consumer_ItemsWaitingLongerThanTheirVisibility_KeepTheirLeasesFromASecondConsumer()
    {
        // Visibility is the task timeout (3 s) + 5 s; one item at a time, 20 items of 0.5 s each wait up to 10 s. Each run
        // has 2.5 s to spare within its timeout, so a message that comes back was let go while it waited, not timed out.
        var run = await RunAsync("budget-lease", PayloadBytes, consumers: 2, items: 20, hold: TimeSpan.FromMilliseconds(500), taskTimeoutSeconds: 3);

        Assert.Equal(0, run.CancelledRuns);
        Assert.Equal(20, run.Handled.Count);
        Assert.All(run.Handled.Values, count => Assert.Equal(1, count));
        Assert.Equal(1, run.MaxDequeueCount);
    }

    private async Task<Run> RunAsync(string function, long budget, int consumers = 1, int items = Items, TimeSpan? hold = null, int? taskTimeoutSeconds = null)
    {
        var queues = new QueueServiceClient(azurite.ConnectionString);
        var blobs = new BlobServiceClient(azurite.ConnectionString);
        var jobs = queues.GetQueueClient(StorageNames.WorkQueueOf(function));
        var poison = queues.GetQueueClient(StorageNames.PoisonQueueOf(function));
        var uploads = blobs.GetBlobContainerClient(StorageNames.UploadsContainer);
        await jobs.CreateIfNotExistsAsync();
        await poison.CreateIfNotExistsAsync();
        await jobs.ClearMessagesAsync();
        await poison.ClearMessagesAsync();
        await uploads.CreateIfNotExistsAsync();

        var tracker = new HeldPayloads(items, hold ?? TimeSpan.FromMilliseconds(100));
        var logs = new FakeLogCollector();
        var hosts = Enumerable.Range(0, consumers).Select(_ => BuildHost(function, budget, tracker, logs, taskTimeoutSeconds)).ToList();

        // Queued before the consumers start, all visible at once: staged, since each is larger than a message.
        var queue = hosts[0].Services.GetRequiredService<AzureQueueDurableWorkQueue>();
        for (var i = 0; i < items; i++)
        {
            await queue.EnqueueAsync(new DurableWorkItem($"item-{i:D2}", Handler, new string('x', PayloadBytes)), TimeSpan.Zero, CancellationToken.None);
        }

        using var listener = new HeldBytesListener(function);
        try
        {
            foreach (var host in hosts)
            {
                await host.StartAsync();
            }

            await tracker.AllHandled.WaitAsync(s_timeout);
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.StopAsync();
                host.Dispose();
            }
        }

        var staged = 0;
        await foreach (var _ in uploads.GetBlobsAsync(BlobTraits.None, BlobStates.None, AzureQueueDurableWorkQueue.StagingPrefix + function + "/", CancellationToken.None))
        {
            staged++;
        }

        output.WriteLine($"{function}: budget {budget} bytes, {items} staged payloads of {PayloadBytes} bytes: peak held {listener.Peak} bytes (consumer metric), {tracker.Peak} bytes (handlers).");
        foreach (var record in logs.GetSnapshot().Where(r => r.Level >= LogLevel.Warning))
        {
            output.WriteLine($"{record.Timestamp:HH:mm:ss.fff} {record.Level} {record.Category}[{record.Id.Name}]: {record.Message} {record.Exception?.Message}");
        }

        return new Run(
            tracker.Handled,
            tracker.CancelledRuns,
            tracker.Peak,
            listener.Peak,
            tracker.MaxDequeueCount,
            (await jobs.GetPropertiesAsync()).Value.ApproximateMessagesCount,
            (await poison.GetPropertiesAsync()).Value.ApproximateMessagesCount,
            staged);
    }

    private IHost BuildHost(string function, long budget, HeldPayloads tracker, FakeLogCollector logs, int? taskTimeoutSeconds)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [SettingNames.StorageConnectionString] = azurite.ConnectionString,
            [SettingNames.FunctionName] = function,
            [SettingNames.JobsMaxInFlightPayloadBytes] = budget.ToString(CultureInfo.InvariantCulture),
            [SettingNames.TaskTimeoutSeconds] = taskTimeoutSeconds?.ToString(CultureInfo.InvariantCulture),
        });
        builder.Logging.AddProvider(new FakeLoggerProvider(logs));
        builder.AddEdgeRuntime();
        builder.AddEdgeStackDurableWork();
        builder.Services.AddSingleton(tracker);
        builder.Services.AddDurableWorkHandler<HoldingHandler>(Handler);
        return builder.Build();
    }

    private sealed record Run(
        IReadOnlyDictionary<string, int> Handled, int CancelledRuns, long PeakHandlerBytes, long PeakMetricBytes, long MaxDequeueCount, int MessagesLeft, int PoisonLeft, int StagedLeft);

    /// <summary>What the handlers hold: the sum of the payloads of the runs in progress, and its peak.</summary>
    private sealed class HeldPayloads(int expected, TimeSpan hold)
    {
        private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly ConcurrentDictionary<string, int> _handled = new(StringComparer.Ordinal);
        private long _held;
        private long _peak;
        private long _maxDequeueCount;
        private int _cancelled;

        public Task AllHandled => _all.Task;

        public TimeSpan Hold => hold;

        public IReadOnlyDictionary<string, int> Handled => _handled;

        public long Peak => Interlocked.Read(ref _peak);

        /// <summary>The runs cancelled: at their task timeout (their messages come back when their leases end) or at the stop.</summary>
        public int CancelledRuns => Volatile.Read(ref _cancelled);

        /// <summary>The most times the queue had handed out a message when its handler ran: 1 when no message ever went back to the queue.</summary>
        public long MaxDequeueCount => Interlocked.Read(ref _maxDequeueCount);

        public void Enter(DurableWorkItem item)
        {
            Raise(ref _maxDequeueCount, item.DequeueCount);
            Raise(ref _peak, Interlocked.Add(ref _held, item.Payload.Length));
        }

        public void Cancelled(long bytes)
        {
            Interlocked.Add(ref _held, -bytes);
            Interlocked.Increment(ref _cancelled);
        }

        public void Exit(string id, long bytes)
        {
            Interlocked.Add(ref _held, -bytes);
            _handled.AddOrUpdate(id, 1, (_, count) => count + 1);
            if (_handled.Count == expected)
            {
                _all.TrySetResult();
            }
        }
    }

    private sealed class HoldingHandler(HeldPayloads held) : IDurableWorkHandler
    {
        public async Task ExecuteAsync(DurableWorkItem item, CancellationToken cancellationToken)
        {
            held.Enter(item);

            // The work itself: long enough that the consumer has many items running at once when its budget allows.
            try
            {
                await Task.Delay(held.Hold, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                held.Cancelled(item.Payload.Length);
                throw;
            }

            held.Exit(item.Id, item.Payload.Length);
        }
    }

    /// <summary>Sums the consumer's held-bytes metric for one queue and keeps its peak.</summary>
    private sealed class HeldBytesListener : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _held;
        private long _peak;

        public HeldBytesListener(string function)
        {
            var queueName = StorageNames.WorkQueueOf(function);
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Name == DurableWorkConsumer.HeldBytesMetric)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "queue" && Equals(tag.Value, queueName))
                    {
                        Raise(ref _peak, Interlocked.Add(ref _held, value));
                    }
                }
            });
            _listener.Start();
        }

        public long Peak => Interlocked.Read(ref _peak);

        public void Dispose() => _listener.Dispose();
    }

    private static void Raise(ref long peak, long value)
    {
        var seen = Interlocked.Read(ref peak);
        while (value > seen)
        {
            var previous = Interlocked.CompareExchange(ref peak, value, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }
}
