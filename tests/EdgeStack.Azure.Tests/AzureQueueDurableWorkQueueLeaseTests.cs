using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using EdgeStack.Contracts;
using EdgeStack.Runtime;
using EdgeStack.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EdgeStack.Azure.Tests;

/// <summary>
/// Leases on Azurite: a run whose lease moved on to another consumer (its receipt is stale) or whose message is gone
/// neither throws nor disturbs the consumer that holds the message now.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureQueueDurableWorkQueueLeaseTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly TimeSpan s_hidden = TimeSpan.FromSeconds(30);
    private readonly string _function = "lease-" + Guid.NewGuid().ToString("N")[..12];
    private readonly DurableQueueOptions _options = new() { MaxDequeueCount = 3, RetryBaseDelaySeconds = 1, MaxRetryDelaySeconds = 1, InlinePayloadLimitBytes = 1024 };
    private QueueClient _jobs = null!;
    private QueueClient _poison = null!;
    private BlobContainerClient _uploads = null!;
    private AzureQueueDurableWorkQueue _queue = null!;

    public async Task InitializeAsync()
    {
        var queues = new QueueServiceClient(azurite.ConnectionString);
        var blobs = new BlobServiceClient(azurite.ConnectionString);
        _queue = new AzureQueueDurableWorkQueue(queues, blobs, Options.Create(new FunctionOptions { Name = _function }), Options.Create(_options), TimeProvider.System, NullLogger<AzureQueueDurableWorkQueue>.Instance);
        _jobs = queues.GetQueueClient(_queue.QueueName);
        _poison = queues.GetQueueClient(_queue.PoisonQueueName);
        _uploads = blobs.GetBlobContainerClient(StorageNames.UploadsContainer);
        await _queue.CreateQueuesIfNotExistAsync(CancellationToken.None);
        await _uploads.CreateIfNotExistsAsync();
    }

    public async Task DisposeAsync()
    {
        await _jobs.DeleteIfExistsAsync();
        await _poison.DeleteIfExistsAsync();
    }

    [Fact]
    public async Task RenewAsync_HeldLease_KeepsTheMessageHiddenAndTheRenewedReceiptCompletesIt()
    {
        var held = await EnqueueAndReceiveAsync("renewed", new string('r', 4096));

        var renewed = await _queue.RenewAsync(held.Receipt, s_hidden, CancellationToken.None);
        var whileHeld = await _queue.ReceiveAsync(32, s_hidden, CancellationToken.None);
        await _queue.CompleteAsync(renewed!, CancellationToken.None);

        // The renewed receipt is still the lease on the same message and its staged payload.
        Assert.Empty(whileHeld);
        Assert.Equal((held.Receipt.MessageId, held.Receipt.PayloadReference), (renewed!.MessageId, renewed.PayloadReference));
        Assert.Equal(0, await CountAsync(_jobs));
        Assert.False((await _uploads.GetBlobClient(held.Receipt.PayloadReference).ExistsAsync()).Value);
    }

    [Fact]
    public async Task RenewAsync_LeaseTakenByAnotherConsumer_ReturnsNullAndLeavesItsLeaseAlone()
    {
        var (stale, current) = await LeaseMovedOnAsync("renew-stale");

        var renewed = await _queue.RenewAsync(stale.Receipt, TimeSpan.Zero, CancellationToken.None);

        Assert.Null(renewed);
        Assert.Empty(await _queue.ReceiveAsync(32, s_hidden, CancellationToken.None));
        await _queue.CompleteAsync(current.Receipt, CancellationToken.None);
        Assert.Equal(0, await CountAsync(_jobs));
    }

    [Fact]
    public async Task RenewAsync_MessageGone_ReturnsNull()
    {
        var held = await EnqueueAndReceiveAsync("renew-gone", "{}");
        await _queue.CompleteAsync(held.Receipt, CancellationToken.None);

        var renewed = await _queue.RenewAsync(held.Receipt, s_hidden, CancellationToken.None);

        Assert.Null(renewed);
    }

    [Fact]
    public async Task ReleaseAsync_LeaseTakenByAnotherConsumer_DoesNotThrowAndTheMessageStaysWithIt()
    {
        var (stale, current) = await LeaseMovedOnAsync("release-stale");

        await _queue.ReleaseAsync(stale.Receipt, CancellationToken.None);

        Assert.Empty(await _queue.ReceiveAsync(32, s_hidden, CancellationToken.None));
        await _queue.CompleteAsync(current.Receipt, CancellationToken.None);
        Assert.Equal(0, await CountAsync(_jobs));
    }

    [Fact]
    public async Task ReleaseAsync_MessageGone_DoesNotThrow()
    {
        var held = await EnqueueAndReceiveAsync("release-gone", "{}");
        await _queue.CompleteAsync(held.Receipt, CancellationToken.None);

        var exception = await Record.ExceptionAsync(() => _queue.ReleaseAsync(held.Receipt, CancellationToken.None));

        Assert.Null(exception);
    }

    [Fact]
    public async Task CompleteAsync_LeaseTakenByAnotherConsumer_LeavesTheMessageAndItsStagedPayloadToThatConsumer()
    {
        var (stale, current) = await LeaseMovedOnAsync("complete-stale", new string('c', 4096));

        await _queue.CompleteAsync(stale.Receipt, CancellationToken.None);
        var loaded = await _queue.LoadPayloadAsync(current, CancellationToken.None);

        // The run that lost its lease must not delete what the current holder still needs.
        Assert.Equal(1, await CountAsync(_jobs));
        Assert.Equal((new string('c', 4096), null), (loaded.Item?.Payload, loaded.Problem));
        await _queue.CompleteAsync(current.Receipt, CancellationToken.None);
        Assert.Equal(0, await CountAsync(_jobs));
        Assert.False((await _uploads.GetBlobClient(current.Receipt.PayloadReference).ExistsAsync()).Value);
    }

    [Fact]
    public async Task FailAsync_LeaseTakenByAnotherConsumer_DoesNotThrowAndTheMessageStaysWithIt()
    {
        var (stale, current) = await LeaseMovedOnAsync("fail-stale");

        await _queue.FailAsync(stale.Item!, stale.Receipt, "lost the lease", CancellationToken.None);

        Assert.Empty(await _queue.ReceiveAsync(32, s_hidden, CancellationToken.None));
        await _queue.CompleteAsync(current.Receipt, CancellationToken.None);
        Assert.Equal(0, await CountAsync(_jobs));
    }

    [Fact]
    public async Task FailAsync_MessageGone_DoesNotThrowAndPoisonsNothing()
    {
        var held = await EnqueueAndReceiveAsync("fail-gone", "{}");
        await _queue.CompleteAsync(held.Receipt, CancellationToken.None);

        var exception = await Record.ExceptionAsync(() => _queue.FailAsync(held.Item!, held.Receipt, "boom", CancellationToken.None));

        Assert.Null(exception);
        Assert.Equal(0, await CountAsync(_poison));
    }

    [Fact]
    public async Task PoisonAsync_LeaseTakenByAnotherConsumer_PoisonsACopyWithoutThrowingAndTheHolderKeepsIt()
    {
        var (stale, current) = await LeaseMovedOnAsync("poison-stale");

        await _queue.PoisonAsync(stale, "given up", CancellationToken.None);

        var poisoned = await PoisonedAsync();
        Assert.Equal((stale.Receipt.MessageId, "given up"), (poisoned.MessageId, poisoned.Reason));
        Assert.Empty(await _queue.ReceiveAsync(32, s_hidden, CancellationToken.None));
        await _queue.CompleteAsync(current.Receipt, CancellationToken.None);
        Assert.Equal(0, await CountAsync(_jobs));
    }

    [Fact]
    public async Task PoisonAsync_SameMessagePoisonedAgainAfterItsLeaseMovedOn_PoisonsItAgainWithItsStagedCopy()
    {
        // Near the message limit, the poisoned copy is staged in a blob; a second poisoning of the same message (its
        // first delete lost the lease) overwrites that blob instead of failing.
        var payload = new string('p', DurableQueueOptions.MaxInlinePayloadBytes - 120);
        var options = new DurableQueueOptions { MaxDequeueCount = 3 };
        var queue = new AzureQueueDurableWorkQueue(new QueueServiceClient(azurite.ConnectionString), new BlobServiceClient(azurite.ConnectionString), Options.Create(new FunctionOptions { Name = _function }), Options.Create(options), TimeProvider.System, NullLogger<AzureQueueDurableWorkQueue>.Instance);
        await queue.EnqueueAsync(new DurableWorkItem("poison-twice", "upload", payload), TimeSpan.Zero, CancellationToken.None);
        var first = Assert.Single(await queue.ReceiveAsync(1, s_hidden, CancellationToken.None));
        await queue.ReleaseAsync(first.Receipt, CancellationToken.None);
        var second = Assert.Single(await queue.ReceiveAsync(1, s_hidden, CancellationToken.None));

        await queue.PoisonAsync(first, "first try", CancellationToken.None);
        await queue.PoisonAsync(second, "second try", CancellationToken.None);

        var poisoned = (await _poison.PeekMessagesAsync(32)).Value.Select(m => Decode(m.Body.ToString())).ToList();
        Assert.Equal(["first try", "second try"], poisoned.Select(p => p.Reason));
        Assert.StartsWith(AzureQueueDurableWorkQueue.StagingPrefix + _function + "/", poisoned[0].MessageReference, StringComparison.Ordinal);
        Assert.Equal(poisoned[0].MessageReference, poisoned[1].MessageReference);
        Assert.Contains(payload, (await _uploads.GetBlobClient(poisoned[1].MessageReference).DownloadContentAsync()).Value.Content.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync(_jobs));
    }

    private async Task<ReceivedWork> EnqueueAndReceiveAsync(string id, string payload)
    {
        await _queue.EnqueueAsync(new DurableWorkItem(id, "upload", payload), TimeSpan.Zero, CancellationToken.None);
        return Assert.Single(await _queue.ReceiveAsync(1, s_hidden, CancellationToken.None));
    }

    /// <summary>One consumer received the message, its lease ran out (released here), and a second consumer holds it now.</summary>
    private async Task<(ReceivedWork Stale, ReceivedWork Current)> LeaseMovedOnAsync(string id, string payload = "{}")
    {
        var stale = await EnqueueAndReceiveAsync(id, payload);
        await _queue.ReleaseAsync(stale.Receipt, CancellationToken.None);
        var current = Assert.Single(await _queue.ReceiveUnloadedAsync(1, s_hidden, CancellationToken.None));
        Assert.Equal(stale.Receipt.MessageId, current.Receipt.MessageId);
        return (stale, current);
    }

    private async Task<PoisonedWork> PoisonedAsync() =>
        Decode(Assert.Single((await _poison.PeekMessagesAsync(32)).Value).Body.ToString());

    private static PoisonedWork Decode(string body) =>
        JsonSerializer.Deserialize<PoisonedWork>(Encoding.UTF8.GetString(Convert.FromBase64String(body)))!;

    private static async Task<int> CountAsync(QueueClient queue) => (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;
}
