using System.Text;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using EdgeStack.Contracts;
using EdgeStack.Runtime;
using EdgeStack.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;

namespace EdgeStack.Azure.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class AzureQueueDurableWorkQueueTests : IAsyncLifetime
{
    private const string Function = "azure-tests";
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);
    private readonly QueueServiceClient _queues;
    private readonly BlobServiceClient _blobs;
    private readonly QueueClient _jobs;
    private readonly QueueClient _poison;
    private readonly DurableQueueOptions _options = new() { MaxDequeueCount = 2, RetryBaseDelaySeconds = 1, MaxRetryDelaySeconds = 4 };

    public AzureQueueDurableWorkQueueTests(AzuriteFixture azurite)
    {
        _queues = new QueueServiceClient(azurite.ConnectionString);
        _blobs = new BlobServiceClient(azurite.ConnectionString);
        _jobs = _queues.GetQueueClient(StorageNames.WorkQueueOf(Function));
        _poison = _queues.GetQueueClient(StorageNames.PoisonQueueOf(Function));
    }

    public async Task InitializeAsync()
    {
        await _jobs.CreateIfNotExistsAsync();
        await _poison.CreateIfNotExistsAsync();
        await _blobs.GetBlobContainerClient(StorageNames.UploadsContainer).CreateIfNotExistsAsync();
        await _jobs.ClearMessagesAsync();
        await _poison.ClearMessagesAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task EnqueueAsync_Invisible_HiddenUntilReleased()
    {
        var queue = CreateQueue();
        var item = new DurableWorkItem("w1", "upload", """{"id":"a","body":"{}"}""");

        var receipt = await queue.EnqueueAsync(item, TimeSpan.FromMinutes(5), CancellationToken.None);
        var whileHidden = await queue.ReceiveAsync(32, TimeSpan.FromSeconds(30), CancellationToken.None);
        await queue.ReleaseAsync(receipt, CancellationToken.None);
        var afterRelease = await queue.ReceiveAsync(32, TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.Empty(whileHidden);
        var work = Assert.Single(afterRelease);
        Assert.Null(work.Problem);
        Assert.Equal(item with { DequeueCount = 1 }, work.Item);
    }

    [Fact]
    public async Task EnqueueAsync_LargePayload_StagesItAndCompleteRemovesIt()
    {
        var queue = CreateQueue();
        var payload = JsonSerializer.Serialize(new { id = "big", body = new string('x', 100 * 1024) });
        var item = new DurableWorkItem("big-work", "upload", payload);

        var receipt = await queue.EnqueueAsync(item, TimeSpan.Zero, CancellationToken.None);
        var message = Assert.Single((await _jobs.PeekMessagesAsync(32)).Value).Body.ToString();
        var received = Assert.Single(await queue.ReceiveAsync(1, TimeSpan.FromSeconds(30), CancellationToken.None));
        var staged = _blobs.GetBlobContainerClient(StorageNames.UploadsContainer).GetBlobClient(receipt.PayloadReference);
        var stagedContent = (await staged.DownloadContentAsync()).Value.Content.ToString();
        await queue.CompleteAsync(received.Receipt, CancellationToken.None);

        // Staged, not carried: the blob holds the payload and the message only a reference to it.
        Assert.StartsWith(AzureQueueDurableWorkQueue.StagingPrefix + Function + "/", receipt.PayloadReference, StringComparison.Ordinal);
        Assert.Equal(payload, stagedContent);
        Assert.InRange(message.Length, 1, 4096);
        Assert.Equal(payload, received.Item!.Payload);
        Assert.False((await staged.ExistsAsync()).Value);
        Assert.Equal(0, (await _jobs.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task EnqueueAsync_PayloadLargerThanTheConsumersBudget_IsRefusedNamingTheSettingAndWritesNothing()
    {
        _options.MaxInFlightPayloadBytes = DurableQueueOptions.MaxInlinePayloadBytes * 2;
        var queue = CreateQueue();
        var item = new DurableWorkItem("too-big", "upload", new string('x', (int)_options.MaxInFlightPayloadBytes + 1));

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => queue.EnqueueAsync(item, TimeSpan.Zero, CancellationToken.None));

        Assert.Contains(SettingNames.JobsMaxInFlightPayloadBytes, exception.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await _jobs.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        Assert.False((await _blobs.GetBlobContainerClient(StorageNames.UploadsContainer).GetBlobClient(AzureQueueDurableWorkQueue.StagingPrefix + Function + "/too-big.json").ExistsAsync()).Value);
    }

    [Fact]
    public async Task ReceiveUnloadedAsync_StagedPayload_TellsItsSizeAndLoadsItOnlyWhenAsked()
    {
        var queue = CreateQueue();
        var payload = new string('y', 100 * 1024);
        await queue.EnqueueAsync(new DurableWorkItem("sized", "upload", payload), TimeSpan.Zero, CancellationToken.None);

        var received = Assert.Single(await queue.ReceiveUnloadedAsync(1, TimeSpan.FromSeconds(30), CancellationToken.None));
        var loaded = await queue.LoadPayloadAsync(received, CancellationToken.None);

        Assert.Equal((true, string.Empty, (long)payload.Length), (received.PayloadPending, received.Item!.Payload, received.PayloadBytes));
        Assert.Equal((false, payload), (loaded.PayloadPending, loaded.Item!.Payload));
    }

    [Fact]
    public async Task FailAsync_BelowMaxDequeueCount_RetriesAfterBackoff()
    {
        // A first retry after 5 s: the receive that finds the message hidden reaches Azurite well within it, on a loaded machine too.
        var queue = CreateQueue(new DurableQueueOptions { MaxDequeueCount = 2, RetryBaseDelaySeconds = 5, MaxRetryDelaySeconds = 5 });
        await queue.EnqueueAsync(new DurableWorkItem("retry", "upload", "{}"), TimeSpan.Zero, CancellationToken.None);
        var first = Assert.Single(await queue.ReceiveAsync(1, TimeSpan.FromSeconds(30), CancellationToken.None));

        await queue.FailAsync(first.Item!, first.Receipt, "boom", CancellationToken.None);
        var hidden = await queue.ReceiveAsync(1, TimeSpan.FromSeconds(30), CancellationToken.None);
        var again = await Poll.UntilAsync(
            async () => (await queue.ReceiveAsync(1, TimeSpan.FromSeconds(30), CancellationToken.None)).SingleOrDefault(),
            s_timeout,
            "the failed message to come back");

        Assert.Empty(hidden);
        Assert.Equal("retry", again.Item!.Id);
        Assert.Equal(2, again.DequeueCount);
    }

    [Fact]
    public async Task FailAsync_AtMaxDequeueCount_MovesToPoisonWithReason()
    {
        var queue = CreateQueue();
        var item = new DurableWorkItem("doomed", "upload", "{}");
        await queue.EnqueueAsync(item, TimeSpan.Zero, CancellationToken.None);
        var received = Assert.Single(await queue.ReceiveAsync(1, TimeSpan.FromSeconds(30), CancellationToken.None));

        await queue.FailAsync(received.Item! with { DequeueCount = _options.MaxDequeueCount }, received.Receipt, "always fails", CancellationToken.None);
        var poisoned = Assert.Single((await _poison.PeekMessagesAsync(32)).Value);
        var body = JsonSerializer.Deserialize<PoisonedWork>(Encoding.UTF8.GetString(Convert.FromBase64String(poisoned.Body.ToString())))!;

        Assert.Equal("always fails", body.Reason);
        Assert.Contains("doomed", body.Message!, StringComparison.Ordinal);
        Assert.Equal(0, (await _jobs.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task FailAsync_PayloadNearTheMessageLimit_PoisonsAReferenceToTheStagedMessage()
    {
        var queue = CreateQueue();
        // The envelope is just under the inline limit; wrapped with the reason for poison, it would be just over.
        var payload = new string('x', DurableQueueOptions.MaxInlinePayloadBytes - 120);
        var item = new DurableWorkItem("near-limit", "upload", payload);
        await queue.EnqueueAsync(item, TimeSpan.Zero, CancellationToken.None);
        var received = Assert.Single(await queue.ReceiveAsync(1, TimeSpan.FromSeconds(30), CancellationToken.None));

        await queue.FailAsync(received.Item! with { DequeueCount = _options.MaxDequeueCount }, received.Receipt, "always fails", CancellationToken.None);
        var poisoned = Assert.Single((await _poison.PeekMessagesAsync(32)).Value);
        var body = JsonSerializer.Deserialize<PoisonedWork>(Encoding.UTF8.GetString(Convert.FromBase64String(poisoned.Body.ToString())))!;
        var staged = await _blobs.GetBlobContainerClient(StorageNames.UploadsContainer).GetBlobClient(body.MessageReference).DownloadContentAsync();

        Assert.Null(received.Receipt.PayloadReference);
        Assert.Null(body.Message);
        Assert.Equal("always fails", body.Reason);
        Assert.Contains(payload, staged.Value.Content.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, (await _jobs.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task ReceiveAsync_NotAnEnvelope_ReportsTheProblem()
    {
        var queue = CreateQueue();
        await _jobs.SendMessageAsync("this is not json");

        var received = Assert.Single(await queue.ReceiveAsync(1, TimeSpan.FromSeconds(30), CancellationToken.None));

        Assert.Null(received.Item);
        Assert.NotNull(received.Problem);
    }

    [Fact]
    public async Task CompleteAsync_MessageAlreadyDeleted_DoesNotThrow()
    {
        var queue = CreateQueue();
        var receipt = await queue.EnqueueAsync(new DurableWorkItem("twice", "upload", "{}"), TimeSpan.FromMinutes(1), CancellationToken.None);
        await queue.CompleteAsync(receipt, CancellationToken.None);

        var second = await Record.ExceptionAsync(() => queue.CompleteAsync(receipt, CancellationToken.None));

        Assert.Null(second);
    }

    [Fact]
    public async Task EnqueueAsync_SendFails_RemovesTheStagedPayload()
    {
        var jobs = new Mock<QueueClient>();
        jobs.Setup(q => q.SendMessageAsync(It.IsAny<string>(), It.IsAny<TimeSpan?>(), It.IsAny<TimeSpan?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new RequestFailedException(503, "queue down"));
        var queues = new Mock<QueueServiceClient>();
        queues.Setup(q => q.GetQueueClient(It.IsAny<string>())).Returns(jobs.Object);
        var queue = new AzureQueueDurableWorkQueue(queues.Object, _blobs, FunctionNamed(Function), Options.Create(_options), TimeProvider.System, NullLogger<AzureQueueDurableWorkQueue>.Instance);
        var item = new DurableWorkItem("lost-send", "upload", new string('y', 60 * 1024));

        await Assert.ThrowsAsync<RequestFailedException>(() => queue.EnqueueAsync(item, TimeSpan.Zero, CancellationToken.None));

        var staged = _blobs.GetBlobContainerClient(StorageNames.UploadsContainer).GetBlobClient(AzureQueueDurableWorkQueue.StagingPrefix + Function + "/lost-send.json");
        Assert.False((await staged.ExistsAsync()).Value);
    }

    [Fact]
    public void RetryDelay_DoublesPerDequeue_UpToTheMaximum()
    {
        var queue = CreateQueue();

        int[] dequeueCounts = [0, 1, 2, 3, 10];

        var delays = dequeueCounts.Select(n => queue.RetryDelay(n).TotalSeconds).ToArray();

        Assert.Equal([1, 1, 2, 4, 4], delays);
    }

    [Fact]
    public void Constructor_FunctionName_NamesItsOwnQueues()
    {
        var queue = CreateQueue();

        var names = (queue.QueueName, queue.PoisonQueueName);

        Assert.Equal(("azure-tests-jobs", "azure-tests-jobs-poison"), names);
    }

    [Fact]
    public async Task ReceiveAsync_PayloadStagedByAnotherFunction_ReportsTheProblem()
    {
        var queue = CreateQueue();
        await _jobs.SendMessageAsync(AzureQueueDurableWorkQueue.EncodeMessage(new DurableWorkEnvelope("foreign", "upload", PayloadReference: AzureQueueDurableWorkQueue.StagingPrefix + "other/foreign.json")));

        var received = Assert.Single(await queue.ReceiveAsync(1, TimeSpan.FromSeconds(30), CancellationToken.None));

        Assert.Null(received.Item);
        Assert.Contains(AzureQueueDurableWorkQueue.StagingPrefix + Function + "/", received.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Upload")]
    [InlineData("my_function")]
    [InlineData("-upload")]
    [InlineData("up--load")]
    [InlineData("a-function-name-far-too-long-for-its-poison-queue-xy")]
    public void Constructor_NameThatCannotNameAQueue_ThrowsNamingTheSetting(string name)
    {
        var exception = Assert.Throws<InvalidOperationException>(() =>
            new AzureQueueDurableWorkQueue(_queues, _blobs, FunctionNamed(name), Options.Create(_options), TimeProvider.System, NullLogger<AzureQueueDurableWorkQueue>.Instance));

        Assert.Contains(SettingNames.FunctionName, exception.Message, StringComparison.Ordinal);
        Assert.Contains(name, exception.Message, StringComparison.Ordinal);
    }

    private static IOptions<FunctionOptions> FunctionNamed(string name) => Options.Create(new FunctionOptions { Name = name });

    [Fact]
    public async Task EnqueueAsync_EnvelopeAtTheInlineLimit_StaysInTheMessageAndOneByteMoreIsStaged()
    {
        // The limit counts the envelope's UTF-8 JSON; a payload of n 'x' makes an envelope of n + overhead bytes.
        var overhead = Convert.FromBase64String(AzureQueueDurableWorkQueue.EncodeMessage(new DurableWorkEnvelope("at-limit", "upload", ""))).Length;
        const int limit = 200;
        var queue = CreateQueue(new DurableQueueOptions { InlinePayloadLimitBytes = limit });

        var atLimit = await queue.EnqueueAsync(new DurableWorkItem("at-limit", "upload", new string('x', limit - overhead)), TimeSpan.Zero, CancellationToken.None);
        var overLimit = await queue.EnqueueAsync(new DurableWorkItem("at-limit", "upload", new string('x', limit - overhead + 1)), TimeSpan.Zero, CancellationToken.None);

        Assert.Null(atLimit.PayloadReference);
        Assert.Equal(AzureQueueDurableWorkQueue.StagingPrefix + Function + "/at-limit.json", overLimit.PayloadReference);
    }

    [Fact]
    public async Task ReceiveAsync_StagedPayloadGone_ReportsTheProblemNamingIt()
    {
        var queue = CreateQueue();
        var receipt = await queue.EnqueueAsync(new DurableWorkItem("gone", "upload", new string('x', 100 * 1024)), TimeSpan.Zero, CancellationToken.None);
        await _blobs.GetBlobContainerClient(StorageNames.UploadsContainer).DeleteBlobAsync(receipt.PayloadReference);

        var received = Assert.Single(await queue.ReceiveAsync(1, TimeSpan.FromSeconds(30), CancellationToken.None));

        Assert.Null(received.Item);
        Assert.Equal($"The staged payload {receipt.PayloadReference} does not exist.", received.Problem);
    }

    private AzureQueueDurableWorkQueue CreateQueue(DurableQueueOptions? options = null) =>
        new(_queues, _blobs, FunctionNamed(Function), Options.Create(options ?? _options), TimeProvider.System, NullLogger<AzureQueueDurableWorkQueue>.Instance);
}
