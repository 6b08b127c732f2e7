using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using EdgeStack.Azure.Internal;
using EdgeStack.Contracts;
using EdgeStack.Runtime;
using EdgeStack.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EdgeStack.Azure.Tests;

/// <summary>
/// What the durable queue writes and reads on Azurite: messages that are not work it can run, staged payloads of work
/// whose id cannot name a blob, and what a poisoned message keeps for a replay.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureQueueDurableWorkQueueMessageTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const int WorkPoisoned = 101;
    private const int WorkRetryScheduled = 102;
    private const int WorkAlreadyGone = 117;
    private static readonly TimeSpan s_hidden = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset s_now = new(2026, 11, 30, 3, 0, 0, TimeSpan.Zero);
    private readonly string _function = "message-" + Guid.NewGuid().ToString("N")[..12];
    private QueueClient _jobs = null!;
    private QueueClient _poison = null!;
    private BlobContainerClient _uploads = null!;

    private string Staging => AzureQueueDurableWorkQueue.StagingPrefix + _function + "/";

    public async Task InitializeAsync()
    {
        var queues = new QueueServiceClient(azurite.ConnectionString);
        _jobs = queues.GetQueueClient(StorageNames.WorkQueueOf(_function));
        _poison = queues.GetQueueClient(StorageNames.PoisonQueueOf(_function));
        _uploads = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(StorageNames.UploadsContainer);
        await _jobs.CreateIfNotExistsAsync();
        await _poison.CreateIfNotExistsAsync();
        await _uploads.CreateIfNotExistsAsync();
    }

    public async Task DisposeAsync()
    {
        await _jobs.DeleteIfExistsAsync();
        await _poison.DeleteIfExistsAsync();
    }

    public static TheoryData<string, string> NotWork => new()
    {
        { "JSON null", "null" },
        { "an array", "[1,2]" },
        { "no id", """{"handler":"upload","payload":"{}"}""" },
        { "a blank id", """{"id":" ","handler":"upload","payload":"{}"}""" },
        { "no handler", """{"id":"w1","payload":"{}"}""" },
        { "a blank handler", """{"id":"w1","handler":"","payload":"{}"}""" },
        { "neither payload nor reference", """{"id":"w1","handler":"upload"}""" },
        { "both payload and reference", """{"id":"w1","handler":"upload","payload":"{}","payloadRef":"staging/{function}/w1.json"}""" },
        { "a reference that climbs out of the function's staging", """{"id":"w1","handler":"upload","payloadRef":"staging/{function}/../other/w1.json"}""" },
    };

    [Theory]
    [MemberData(nameof(NotWork))]
    public async Task ReceiveAsync_MessageThatIsNotWorkItCanRun_ReportsTheProblemWithTheTextAsSent(string what, string json)
    {
        var queue = CreateQueue();
        var text = json.Replace("{function}", _function, StringComparison.Ordinal);
        await _jobs.SendMessageAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(text)));

        var received = Assert.Single(await queue.ReceiveAsync(1, s_hidden, CancellationToken.None));

        Assert.True(received.Item is null, what);
        Assert.False(string.IsNullOrWhiteSpace(received.Problem), what);
        Assert.Equal((text, 1L), (received.MessageText, received.DequeueCount));
    }

    [Fact]
    public async Task ReceiveAsync_PlainJsonEnvelope_IsRead()
    {
        var queue = CreateQueue();
        await _jobs.SendMessageAsync("""{"id":"plain","handler":"upload","payload":"{\"a\":1}"}""");

        var received = Assert.Single(await queue.ReceiveAsync(1, s_hidden, CancellationToken.None));

        Assert.Null(received.Problem);
        Assert.Equal(new DurableWorkItem("plain", "upload", """{"a":1}""", 1), received.Item);
    }

    [Fact]
    public async Task ReceiveAsync_Base64ThatIsNotUtf8_KeepsTheTextAsItCameForThePoisonQueue()
    {
        // "abcd" is valid Base64, but its bytes (69 B7 1D) are not UTF-8: the text is kept as sent, not garbled.
        var queue = CreateQueue();
        await _jobs.SendMessageAsync("abcd");

        var received = Assert.Single(await queue.ReceiveAsync(1, s_hidden, CancellationToken.None));

        Assert.Null(received.Item);
        Assert.Equal("abcd", received.MessageText);
    }

    [Theory]
    [InlineData("../../escape")]
    [InlineData("a/b")]
    public async Task EnqueueAsync_LargePayloadWhoseIdCannotNameABlob_StagesItInsideTheFunctionsStagingAndItRoundTrips(string id)
    {
        var queue = CreateQueue(new DurableQueueOptions { InlinePayloadLimitBytes = 1024 });
        var payload = new string('s', 4096);

        var receipt = await queue.EnqueueAsync(new DurableWorkItem(id, "upload", payload), TimeSpan.Zero, CancellationToken.None);
        var received = Assert.Single(await queue.ReceiveAsync(1, s_hidden, CancellationToken.None));

        Assert.StartsWith(Staging, receipt.PayloadReference, StringComparison.Ordinal);
        Assert.True(UploadId.IsValid(receipt.PayloadReference![Staging.Length..], out var problem), problem);
        Assert.Null(received.Problem);
        Assert.Equal(new DurableWorkItem(id, "upload", payload, 1), received.Item);
    }

    [Theory]
    [InlineData("", "upload")]
    [InlineData(" ", "upload")]
    [InlineData("w1", "")]
    [InlineData("w1", " ")]
    public async Task EnqueueAsync_NoIdOrNoHandler_IsRefusedAndWritesNothing(string id, string handler)
    {
        var queue = CreateQueue(new DurableQueueOptions { InlinePayloadLimitBytes = 1024 });

        var exception = await Assert.ThrowsAsync<ArgumentException>(() => queue.EnqueueAsync(new DurableWorkItem(id, handler, new string('n', 4096)), TimeSpan.Zero, CancellationToken.None));

        Assert.Equal("item", exception.ParamName);
        Assert.Contains("an id and a handler", exception.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await _jobs.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        Assert.Empty(await _uploads.GetBlobsAsync(BlobTraits.None, BlobStates.None, Staging, CancellationToken.None).ToListAsync());
    }

    [Fact]
    public async Task FailAsync_StagedWorkAtMaxDequeueCount_PoisonsItsReferenceAndKeepsThePayloadForAReplay()
    {
        var queue = CreateQueue(new DurableQueueOptions { InlinePayloadLimitBytes = 1024, MaxDequeueCount = 1 });
        var payload = new string('z', 4096);
        await queue.EnqueueAsync(new DurableWorkItem("replay-me", "upload", payload), TimeSpan.Zero, CancellationToken.None);
        var received = Assert.Single(await queue.ReceiveAsync(1, s_hidden, CancellationToken.None));

        await queue.FailAsync(received.Item!, received.Receipt, "always fails", CancellationToken.None);
        var poisoned = await PoisonedAsync();
        // An operator replays poisoned work by sending its message back to the work queue.
        await _jobs.SendMessageAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(poisoned.Message!)));
        var replayed = Assert.Single(await queue.ReceiveAsync(1, s_hidden, CancellationToken.None));

        Assert.Equal((1L, "always fails"), (poisoned.DequeueCount, poisoned.Reason));
        Assert.Null(replayed.Problem);
        Assert.Equal(new DurableWorkItem("replay-me", "upload", payload, 1), replayed.Item);
    }

    [Fact]
    public async Task FailAsync_ReasonFarLongerThanAMessage_PoisonsTheWorkWithTheReasonsBeginning()
    {
        var queue = CreateQueue(new DurableQueueOptions { MaxDequeueCount = 1 });
        var reason = "stack overflow: " + string.Concat(Enumerable.Range(0, 20_000).Select(i => "frame" + i + ";"));
        await queue.EnqueueAsync(new DurableWorkItem("long-reason", "upload", "{}"), TimeSpan.Zero, CancellationToken.None);
        var received = Assert.Single(await queue.ReceiveAsync(1, s_hidden, CancellationToken.None));

        await queue.FailAsync(received.Item!, received.Receipt, reason, CancellationToken.None);
        var poisoned = await PoisonedAsync();

        Assert.StartsWith(poisoned.Reason, reason, StringComparison.Ordinal);
        Assert.InRange(poisoned.Reason.Length, "stack overflow: ".Length, 4096);
        Assert.Equal(received.MessageText, poisoned.Message);
        Assert.Equal(0, (await _jobs.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task PoisonAsync_PoisonedMessageExactlyAtTheInlineLimit_CarriesTheMessageAndOneByteMoreStagesIt()
    {
        // The poisoned message's UTF-8 JSON grows by one byte per 'x' of the payload; with the clock fixed, its size
        // is known before the work is queued (a message id always has 36 characters).
        var queue = CreateQueue(time: new FixedTime(s_now));
        var emptyText = Encoding.UTF8.GetString(Convert.FromBase64String(AzureQueueDurableWorkQueue.EncodeMessage(new DurableWorkEnvelope("edge", "upload", ""))));
        var overhead = JsonSerializer.SerializeToUtf8Bytes(new PoisonedWork(Guid.Empty.ToString(), emptyText, "edge", 1, s_now), AzureJsonContext.Default.PoisonedWork).Length;
        var atLimit = DurableQueueOptions.MaxInlinePayloadBytes - overhead;

        var inline = await PoisonReceivedAsync(queue, new string('x', atLimit));
        var staged = await PoisonReceivedAsync(queue, new string('x', atLimit + 1));

        Assert.Equal((atLimit + emptyText.Length, null), (inline.Message?.Length, inline.MessageReference));
        Assert.Null(staged.Message);
        Assert.StartsWith(Staging, staged.MessageReference, StringComparison.Ordinal);
        Assert.Equal(atLimit + 1 + emptyText.Length, (await _uploads.GetBlobClient(staged.MessageReference).DownloadContentAsync()).Value.Content.ToString().Length);
    }

    [Fact]
    public void Constructor_NameOfTheLongestQueueName_IsAcceptedAndTheErrorForOneMoreStatesThatLength()
    {
        var longest = 63 - (StorageNames.PoisonQueueOf("a").Length - 1);
        var name = new string('q', longest);

        var queue = Named(name);
        var exception = Assert.Throws<InvalidOperationException>(() => Named(name + "q"));

        Assert.Equal(63, queue.PoisonQueueName.Length);
        Assert.Contains($"at most {longest} characters", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Constructor_NoFunctionName_ThrowsNamingTheSetting(string? name)
    {
        var exception = Assert.Throws<InvalidOperationException>(() => Named(name));

        Assert.Contains(SettingNames.FunctionName + " is not set", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnqueueAndPoison_Messages_NeverExpire()
    {
        // A queue's default time to live is 7 days: work must wait for a consumer, and poison for an operator, however long.
        var queue = CreateQueue(new DurableQueueOptions { MaxDequeueCount = 1 });
        await queue.EnqueueAsync(new DurableWorkItem("forever", "upload", "{}"), TimeSpan.Zero, CancellationToken.None);
        var queued = Assert.Single((await _jobs.PeekMessagesAsync(1)).Value);
        var received = Assert.Single(await queue.ReceiveAsync(1, s_hidden, CancellationToken.None));

        await queue.FailAsync(received.Item!, received.Receipt, "always fails", CancellationToken.None);
        var poisoned = Assert.Single((await _poison.PeekMessagesAsync(1)).Value);

        Assert.True(queued.ExpiresOn > DateTimeOffset.UtcNow.AddYears(100), $"work expires on {queued.ExpiresOn}");
        Assert.True(poisoned.ExpiresOn > DateTimeOffset.UtcNow.AddYears(100), $"poison expires on {poisoned.ExpiresOn}");
    }

    [Fact]
    public async Task LoadPayloadAsync_StagedPayloadGoneAfterReceipt_ReportsTheProblemNamingIt()
    {
        var queue = CreateQueue(new DurableQueueOptions { InlinePayloadLimitBytes = 1024 });
        var receipt = await queue.EnqueueAsync(new DurableWorkItem("vanished", "upload", new string('v', 4096)), TimeSpan.Zero, CancellationToken.None);
        var received = Assert.Single(await queue.ReceiveUnloadedAsync(1, s_hidden, CancellationToken.None));
        await _uploads.DeleteBlobAsync(receipt.PayloadReference);

        var loaded = await queue.LoadPayloadAsync(received, CancellationToken.None);

        Assert.Equal((null, false), (loaded.Item, loaded.PayloadPending));
        Assert.Equal($"The staged payload {receipt.PayloadReference} does not exist.", loaded.Problem);
    }

    [Fact]
    public async Task ReceiveAsync_InlinePayload_CountsItsUtf8Bytes()
    {
        var queue = CreateQueue();
        var payload = new string('\u00e9', 1000);
        await queue.EnqueueAsync(new DurableWorkItem("accents", "upload", payload), TimeSpan.Zero, CancellationToken.None);

        var received = Assert.Single(await queue.ReceiveUnloadedAsync(1, s_hidden, CancellationToken.None));

        Assert.Equal((false, 2000L), (received.PayloadPending, received.PayloadBytes));
    }

    [Fact]
    public async Task FailAsync_BelowMaxDequeueCount_MessageComesBackAfterTheRetryDelayNotWhenTheLeaseEnds()
    {
        var queue = CreateQueue(new DurableQueueOptions { MaxDequeueCount = 3, RetryBaseDelaySeconds = 1 });
        var lease = TimeSpan.FromMinutes(10);
        await queue.EnqueueAsync(new DurableWorkItem("soon-again", "upload", "{}"), TimeSpan.Zero, CancellationToken.None);
        var received = Assert.Single(await queue.ReceiveAsync(1, lease, CancellationToken.None));

        await queue.FailAsync(received.Item!, received.Receipt, "boom", CancellationToken.None);
        var again = await Poll.UntilAsync(
            async () => (await queue.ReceiveAsync(1, lease, CancellationToken.None)).SingleOrDefault(),
            TimeSpan.FromSeconds(30),
            "the failed message back after its 1 s retry delay, long before its 10 min lease ends");

        Assert.Equal(("soon-again", 2L), (again.Item!.Id, again.DequeueCount));
    }

    [Fact]
    public async Task FailAsync_BelowMaxDequeueCount_ReportsTheRetryAndItsDelay()
    {
        var logger = new RecordingLogger<AzureQueueDurableWorkQueue>();
        var queue = CreateQueue(new DurableQueueOptions { MaxDequeueCount = 3, RetryBaseDelaySeconds = 7 }, logger: logger);
        await queue.EnqueueAsync(new DurableWorkItem("retried", "upload", "{}"), TimeSpan.Zero, CancellationToken.None);
        var received = Assert.Single(await queue.ReceiveAsync(1, s_hidden, CancellationToken.None));

        await queue.FailAsync(received.Item!, received.Receipt, "boom", CancellationToken.None);

        var retry = Assert.Single(logger.Entries, e => e.Id.Id == WorkRetryScheduled).Values;
        Assert.Equal(("retried", 1L, 7000L), (retry["WorkId"], retry["DequeueCount"], retry["DelayMs"]));
        Assert.DoesNotContain(logger.Entries, e => e.Id.Id == WorkPoisoned);
    }

    [Fact]
    public async Task FailAsync_AtMaxDequeueCount_ReportsThePoisonOnceWithItsReason()
    {
        var logger = new RecordingLogger<AzureQueueDurableWorkQueue>();
        var queue = CreateQueue(new DurableQueueOptions { MaxDequeueCount = 1 }, logger: logger);
        await queue.EnqueueAsync(new DurableWorkItem("given-up", "upload", "{}"), TimeSpan.Zero, CancellationToken.None);
        var received = Assert.Single(await queue.ReceiveAsync(1, s_hidden, CancellationToken.None));

        await queue.FailAsync(received.Item!, received.Receipt, "always fails", CancellationToken.None);

        var poisoned = Assert.Single(logger.Entries, e => e.Id.Id == WorkPoisoned).Values;
        Assert.Equal(("given-up", "upload", "always fails"), (poisoned["WorkId"], poisoned["Handler"], poisoned["Reason"]));
        // Moved, not also retried or taken for gone.
        Assert.DoesNotContain(logger.Entries, e => e.Id.Id is WorkRetryScheduled or WorkAlreadyGone);
    }

    [Fact]
    public async Task PublicMembers_NullArgument_ThrowArgumentNullExceptionNamingIt()
    {
        var queue = CreateQueue();
        var item = new DurableWorkItem("w", "upload", "{}");
        var receipt = new DurableWorkReceipt("m", "lease");
        var queues = new QueueServiceClient(azurite.ConnectionString);
        var blobs = new BlobServiceClient(azurite.ConnectionString);
        var function = Options.Create(new FunctionOptions { Name = _function });
        var options = Options.Create(new DurableQueueOptions());
        var logger = NullLogger<AzureQueueDurableWorkQueue>.Instance;
        var calls = new (string Parameter, Func<Task> Call)[]
        {
            ("queues", () => Task.FromResult(new AzureQueueDurableWorkQueue(null!, blobs, function, options, TimeProvider.System, logger))),
            ("blobs", () => Task.FromResult(new AzureQueueDurableWorkQueue(queues, null!, function, options, TimeProvider.System, logger))),
            ("function", () => Task.FromResult(new AzureQueueDurableWorkQueue(queues, blobs, null!, options, TimeProvider.System, logger))),
            ("options", () => Task.FromResult(new AzureQueueDurableWorkQueue(queues, blobs, function, null!, TimeProvider.System, logger))),
            ("item", () => queue.EnqueueAsync(null!, TimeSpan.Zero, CancellationToken.None)),
            ("work", () => queue.LoadPayloadAsync(null!, CancellationToken.None)),
            ("receipt", () => queue.RenewAsync(null!, s_hidden, CancellationToken.None)),
            ("receipt", () => queue.CompleteAsync(null!, CancellationToken.None)),
            ("receipt", () => queue.ReleaseAsync(null!, CancellationToken.None)),
            ("item", () => queue.FailAsync(null!, receipt, "boom", CancellationToken.None)),
            ("receipt", () => queue.FailAsync(item, null!, "boom", CancellationToken.None)),
            ("work", () => queue.PoisonAsync(null!, "boom", CancellationToken.None)),
        };

        foreach (var (parameter, call) in calls)
        {
            var exception = await Assert.ThrowsAsync<ArgumentNullException>(call);
            Assert.Equal(parameter, exception.ParamName);
        }
    }

    private async Task<PoisonedWork> PoisonReceivedAsync(AzureQueueDurableWorkQueue queue, string payload)
    {
        await queue.EnqueueAsync(new DurableWorkItem("edge", "upload", payload), TimeSpan.Zero, CancellationToken.None);
        var received = Assert.Single(await queue.ReceiveAsync(1, s_hidden, CancellationToken.None));
        await _poison.ClearMessagesAsync();
        await queue.PoisonAsync(received, "edge", CancellationToken.None);
        return await PoisonedAsync();
    }

    private async Task<PoisonedWork> PoisonedAsync() =>
        JsonSerializer.Deserialize<PoisonedWork>(Encoding.UTF8.GetString(Convert.FromBase64String(Assert.Single((await _poison.PeekMessagesAsync(32)).Value).Body.ToString())))!;

    private AzureQueueDurableWorkQueue CreateQueue(DurableQueueOptions? options = null, TimeProvider? time = null, ILogger<AzureQueueDurableWorkQueue>? logger = null) =>
        Create(_function, options, time, logger);

    private AzureQueueDurableWorkQueue Named(string? functionName) => Create(functionName, null, null, null);

    private AzureQueueDurableWorkQueue Create(string? functionName, DurableQueueOptions? options, TimeProvider? time, ILogger<AzureQueueDurableWorkQueue>? logger) =>
        new(
            new QueueServiceClient(azurite.ConnectionString),
            new BlobServiceClient(azurite.ConnectionString),
            Options.Create(new FunctionOptions { Name = functionName }),
            Options.Create(options ?? new DurableQueueOptions()),
            time ?? TimeProvider.System,
            logger ?? NullLogger<AzureQueueDurableWorkQueue>.Instance);

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
