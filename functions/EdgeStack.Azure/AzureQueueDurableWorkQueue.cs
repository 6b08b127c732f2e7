using System.Text;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using EdgeStack.Azure.Internal;
using EdgeStack.Contracts;
using EdgeStack.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeStack.Azure;

/// <summary>
/// The function's own work queue behind durable work (<c>&lt;name&gt;-jobs</c>, <see cref="StorageNames.WorkQueueOf"/>): hidden
/// messages while work runs, retries with backoff, and its poison queue (<c>&lt;name&gt;-jobs-poison</c>).
/// </summary>
/// <remarks>
/// <para>The queue names come from the function's name (<c>Function:Name</c>, by default its assembly name), so every
/// function with durable work has a queue pair of its own and consumes it itself: only its own handlers ever see its work.</para>
/// <para>Message text is the UTF-8 JSON <see cref="DurableWorkEnvelope"/>, Base64-encoded (plain JSON is accepted on receipt).
/// Payloads too large for a message are staged in the <c>uploads</c> container under <see cref="StagingPrefix"/> and the
/// function's name; see <see cref="DurableQueueOptions"/>.</para>
/// </remarks>
public sealed class AzureQueueDurableWorkQueue : IDurableWorkQueue
{
    /// <summary>Where payloads too large for a message are staged in the <c>uploads</c> container, under the function's name.</summary>
    public const string StagingPrefix = "staging/";

    private const int MaxReasonLength = 2000;

    // Messages never expire: work is deleted when done or moved to the poison queue, never silently aged out.
    private static readonly TimeSpan s_neverExpires = TimeSpan.FromSeconds(-1);

    private readonly QueueClient _jobs;
    private readonly QueueClient _poison;
    private readonly BlobContainerClient _uploads;
    private readonly string _staging;
    private readonly DurableQueueOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Initializes the queue over the function's work and poison queues and the <c>uploads</c> container.</summary>
    /// <param name="queues">The queue service.</param>
    /// <param name="blobs">The blob service, for staged payloads.</param>
    /// <param name="function">The function's settings: its name names the queues.</param>
    /// <param name="options">The queue's options.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">The logger.</param>
    /// <exception cref="InvalidOperationException">The function's name cannot name a queue.</exception>
    public AzureQueueDurableWorkQueue(QueueServiceClient queues, BlobServiceClient blobs, IOptions<FunctionOptions> function, IOptions<DurableQueueOptions> options, TimeProvider time, ILogger<AzureQueueDurableWorkQueue> logger)
    {
        ArgumentNullException.ThrowIfNull(queues);
        ArgumentNullException.ThrowIfNull(blobs);
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(options);
        var name = function.Value.Name;
        if (FunctionQueueNames.Problem(name) is { } problem)
        {
            throw new InvalidOperationException(problem);
        }

        FunctionName = name!;
        _jobs = queues.GetQueueClient(StorageNames.WorkQueueOf(FunctionName));
        _poison = queues.GetQueueClient(StorageNames.PoisonQueueOf(FunctionName));
        _uploads = blobs.GetBlobContainerClient(StorageNames.UploadsContainer);
        _staging = StagingPrefix + FunctionName + "/";
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <summary>Gets the queue's options.</summary>
    public DurableQueueOptions Options => _options;

    /// <summary>Gets the name of the function whose work this queue carries.</summary>
    public string FunctionName { get; }

    /// <summary>Gets the name of the work queue, <c>&lt;function&gt;-jobs</c>.</summary>
    public string QueueName => _jobs.Name;

    /// <summary>Gets the name of the poison queue, <c>&lt;function&gt;-jobs-poison</c>.</summary>
    public string PoisonQueueName => _poison.Name;

    /// <summary>Creates the work and poison queues when they are missing.</summary>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>A task that completes when both exist.</returns>
    public async Task CreateQueuesIfNotExistAsync(CancellationToken cancellationToken)
    {
        await _jobs.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await _poison.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
    }

    /// <summary>Encodes an envelope as message text: Base64 of its UTF-8 JSON.</summary>
    /// <param name="envelope">The envelope.</param>
    /// <returns>The message text.</returns>
    public static string EncodeMessage(DurableWorkEnvelope envelope) =>
        Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(envelope, AzureJsonContext.Default.DurableWorkEnvelope));

    /// <inheritdoc />
    public async Task<DurableWorkReceipt> EnqueueAsync(DurableWorkItem item, TimeSpan invisibleFor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (string.IsNullOrWhiteSpace(item.Id) || string.IsNullOrWhiteSpace(item.Handler))
        {
            // Refused before anything is written: a message without them is not a work envelope and would go to poison unrun.
            throw new ArgumentException($"Durable work needs an id and a handler; this item has id '{item.Id}' and handler '{item.Handler}'.", nameof(item));
        }

        var payloadBytes = Encoding.UTF8.GetByteCount(item.Payload);
        if (payloadBytes > _options.MaxInFlightPayloadBytes)
        {
            // Refused before anything is written: the consumer could never hold it within its budget.
            throw new InvalidOperationException(
                $"The durable work payload of handler '{item.Handler}' is {payloadBytes} bytes, more than {SettingNames.JobsMaxInFlightPayloadBytes} ({_options.MaxInFlightPayloadBytes}), the most a consumer holds at once; raise the setting or stage the data yourself and queue a reference.");
        }

        var envelope = new DurableWorkEnvelope(item.Id, item.Handler, item.Payload);
        var json = JsonSerializer.SerializeToUtf8Bytes(envelope, AzureJsonContext.Default.DurableWorkEnvelope);
        string? reference = null;
        if (json.Length > _options.InlinePayloadLimitBytes)
        {
            // Staged before the message exists, so a message never points at a payload that was not written.
            reference = _staging + (UploadId.IsValid(item.Id, out _) ? item.Id : Guid.NewGuid().ToString("N")) + ".json";
            await _uploads.GetBlobClient(reference).UploadAsync(BinaryData.FromString(item.Payload), overwrite: true, cancellationToken);
            Log.PayloadStaged(_logger, item.Id, payloadBytes, reference);
            json = JsonSerializer.SerializeToUtf8Bytes(envelope with { Payload = null, PayloadReference = reference }, AzureJsonContext.Default.DurableWorkEnvelope);
        }

        try
        {
            var sent = await _jobs.SendMessageAsync(Convert.ToBase64String(json), invisibleFor, s_neverExpires, cancellationToken);
            return new DurableWorkReceipt(sent.Value.MessageId, sent.Value.PopReceipt, reference);
        }
        catch (Exception) when (reference is not null)
        {
            // No message refers to the staged payload: remove it, then let the caller see the failure.
            await DeleteStagedAsync(reference);
            throw;
        }
    }

    /// <summary>Takes up to <paramref name="maxMessages"/> messages, hidden for <paramref name="visibilityTimeout"/>, and reads their work, staged payloads included.</summary>
    /// <param name="maxMessages">At most this many messages (1–32).</param>
    /// <param name="visibilityTimeout">How long the messages stay hidden from other consumers.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The messages, each with its work item or the problem that keeps it from running.</returns>
    public async Task<IReadOnlyList<ReceivedWork>> ReceiveAsync(int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        var received = new List<ReceivedWork>(await ReceiveUnloadedAsync(maxMessages, visibilityTimeout, cancellationToken));
        for (var i = 0; i < received.Count; i++)
        {
            received[i] = await LoadPayloadAsync(received[i], cancellationToken);
        }

        return received;
    }

    /// <summary>
    /// Takes up to <paramref name="maxMessages"/> messages like <see cref="ReceiveAsync"/> but leaves staged payloads in
    /// storage: each item's <see cref="ReceivedWork.PayloadBytes"/> says what loading it will cost, so a consumer can
    /// admit it within its byte budget before <see cref="LoadPayloadAsync"/> downloads it.
    /// </summary>
    /// <param name="maxMessages">At most this many messages (1–32).</param>
    /// <param name="visibilityTimeout">How long the messages stay hidden from other consumers.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The messages; a staged item has <see cref="ReceivedWork.PayloadPending"/> set and an empty payload.</returns>
    public async Task<IReadOnlyList<ReceivedWork>> ReceiveUnloadedAsync(int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        var messages = await _jobs.ReceiveMessagesAsync(Math.Clamp(maxMessages, 1, 32), visibilityTimeout, cancellationToken);
        var received = new List<ReceivedWork>(messages.Value.Length);
        foreach (var message in messages.Value)
        {
            received.Add(await ReadAsync(message.MessageId, message.PopReceipt, message.Body.ToString(), message.DequeueCount, cancellationToken));
        }

        return received;
    }

    /// <summary>Downloads a received item's staged payload; an item without one is returned as it is.</summary>
    /// <param name="work">An item from <see cref="ReceiveUnloadedAsync"/>.</param>
    /// <param name="cancellationToken">Cancels the download.</param>
    /// <returns>The item with its payload, or with the problem that the staged payload is gone.</returns>
    public async Task<ReceivedWork> LoadPayloadAsync(ReceivedWork work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (!work.PayloadPending)
        {
            return work;
        }

        var reference = work.Receipt.PayloadReference!;
        try
        {
            var content = await _uploads.GetBlobClient(reference).DownloadContentAsync(cancellationToken);
            return work with { Item = work.Item! with { Payload = content.Value.Content.ToString() }, PayloadPending = false };
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            return work with { Item = null, Problem = $"The staged payload {reference} does not exist.", PayloadPending = false };
        }
    }

    /// <summary>Hides a received message again for <paramref name="visibilityTimeout"/> from now: a consumer waiting to run it keeps it.</summary>
    /// <param name="receipt">The lease on the message.</param>
    /// <param name="visibilityTimeout">How long the message stays hidden from now.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The renewed lease, or null when the message is gone or another consumer holds it now.</returns>
    public async Task<DurableWorkReceipt?> RenewAsync(DurableWorkReceipt receipt, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        try
        {
            var updated = await _jobs.UpdateMessageAsync(receipt.MessageId, receipt.LeaseToken, (string?)null, visibilityTimeout, cancellationToken);
            return receipt with { LeaseToken = updated.Value.PopReceipt };
        }
        catch (RequestFailedException exception) when (IsGoneOrLeaseLost(exception))
        {
            Log.WorkAlreadyGone(_logger, receipt.MessageId);
            return null;
        }
    }

    /// <inheritdoc />
    public async Task CompleteAsync(DurableWorkReceipt receipt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        try
        {
            await _jobs.DeleteMessageAsync(receipt.MessageId, receipt.LeaseToken, cancellationToken);
        }
        catch (RequestFailedException exception) when (IsGoneOrLeaseLost(exception))
        {
            // Done already (another run finished it) or the lease moved on after a timeout: the handler is idempotent.
            Log.WorkAlreadyGone(_logger, receipt.MessageId);
            return;
        }

        if (receipt.PayloadReference is { } reference)
        {
            await DeleteStagedAsync(reference);
        }
    }

    /// <inheritdoc />
    public async Task ReleaseAsync(DurableWorkReceipt receipt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        try
        {
            await _jobs.UpdateMessageAsync(receipt.MessageId, receipt.LeaseToken, (string?)null, TimeSpan.Zero, cancellationToken);
        }
        catch (RequestFailedException exception) when (IsGoneOrLeaseLost(exception))
        {
            Log.WorkAlreadyGone(_logger, receipt.MessageId);
        }
    }

    /// <inheritdoc />
    public async Task FailAsync(DurableWorkItem item, DurableWorkReceipt receipt, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(receipt);
        if (item.DequeueCount >= _options.MaxDequeueCount)
        {
            var envelope = new DurableWorkEnvelope(item.Id, item.Handler, receipt.PayloadReference is null ? item.Payload : null, receipt.PayloadReference);
            var text = JsonSerializer.Serialize(envelope, AzureJsonContext.Default.DurableWorkEnvelope);
            await PoisonAsync(receipt, text, item.DequeueCount, reason, item.Id, item.Handler, cancellationToken);
            return;
        }

        var delay = RetryDelay(item.DequeueCount);
        try
        {
            await _jobs.UpdateMessageAsync(receipt.MessageId, receipt.LeaseToken, (string?)null, delay, cancellationToken);
            Log.WorkRetryScheduled(_logger, item.Id, item.Handler, item.DequeueCount, (long)delay.TotalMilliseconds);
        }
        catch (RequestFailedException exception) when (IsGoneOrLeaseLost(exception))
        {
            Log.WorkAlreadyGone(_logger, item.Id);
        }
    }

    /// <summary>Moves a message to the poison queue with the reason, then deletes it from the work queue; a staged payload is kept for a replay.</summary>
    /// <param name="work">The received message.</param>
    /// <param name="reason">Why the work is given up.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the message has moved.</returns>
    public Task PoisonAsync(ReceivedWork work, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        return PoisonAsync(work.Receipt, work.MessageText, work.DequeueCount, reason, work.Item?.Id ?? "(unreadable)", work.Item?.Handler ?? "(unknown)", cancellationToken);
    }

    /// <summary>Gets the delay before the retry that follows a failure on dequeue <paramref name="dequeueCount"/>.</summary>
    /// <param name="dequeueCount">The dequeue the run failed on (0 for the in-process run).</param>
    /// <returns>The base delay doubled per dequeue, at most the maximum, in whole seconds (the queue's resolution).</returns>
    public TimeSpan RetryDelay(long dequeueCount)
    {
        var seconds = _options.RetryBaseDelaySeconds * Math.Pow(2, Math.Clamp(dequeueCount - 1, 0, 30));
        return TimeSpan.FromSeconds(Math.Ceiling(Math.Min(seconds, _options.MaxRetryDelaySeconds)));
    }

    private async Task PoisonAsync(DurableWorkReceipt receipt, string messageText, long dequeueCount, string reason, string workId, string handler, CancellationToken cancellationToken)
    {
        reason = reason.Length > MaxReasonLength ? reason[..MaxReasonLength] : reason;
        var poisoned = new PoisonedWork(receipt.MessageId, messageText, reason, dequeueCount, _time.GetUtcNow());
        var json = JsonSerializer.SerializeToUtf8Bytes(poisoned, AzureJsonContext.Default.PoisonedWork);
        if (json.Length > DurableQueueOptions.MaxInlinePayloadBytes)
        {
            // Wrapped and escaped, a message near the limit no longer fits one: keep the original in a blob, poison a reference.
            var reference = _staging + "poison/" + receipt.MessageId + ".json";
            await _uploads.GetBlobClient(reference).UploadAsync(BinaryData.FromString(messageText), overwrite: true, cancellationToken);
            json = JsonSerializer.SerializeToUtf8Bytes(poisoned with { Message = null, MessageReference = reference }, AzureJsonContext.Default.PoisonedWork);
        }

        var text = Convert.ToBase64String(json);
        await _poison.SendMessageAsync(text, null, s_neverExpires, cancellationToken);
        try
        {
            await _jobs.DeleteMessageAsync(receipt.MessageId, receipt.LeaseToken, cancellationToken);
        }
        catch (RequestFailedException exception) when (IsGoneOrLeaseLost(exception))
        {
            Log.WorkAlreadyGone(_logger, workId);
        }

        Log.WorkPoisoned(_logger, workId, receipt.MessageId, handler, dequeueCount, reason);
    }

    private async Task<ReceivedWork> ReadAsync(string messageId, string popReceipt, string raw, long dequeueCount, CancellationToken cancellationToken)
    {
        var text = DecodeText(raw);
        var receipt = new DurableWorkReceipt(messageId, popReceipt);
        DurableWorkEnvelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize(text, AzureJsonContext.Default.DurableWorkEnvelope);
        }
        catch (JsonException exception)
        {
            return new ReceivedWork(receipt, text, dequeueCount, null, "The message is not a work envelope: " + exception.Message);
        }

        if (envelope is null || string.IsNullOrWhiteSpace(envelope.Id) || string.IsNullOrWhiteSpace(envelope.Handler))
        {
            return new ReceivedWork(receipt, text, dequeueCount, null, "The message is not a work envelope: it needs an id and a handler.");
        }

        if ((envelope.Payload is null) == (envelope.PayloadReference is null))
        {
            return new ReceivedWork(receipt, text, dequeueCount, null, "The work envelope must carry exactly one of payload and payloadRef.");
        }

        if (envelope.PayloadReference is not { } reference)
        {
            var inline = new DurableWorkItem(envelope.Id, envelope.Handler, envelope.Payload!, dequeueCount);
            Log.WorkReceived(_logger, inline.Id, messageId, inline.Handler, dequeueCount);
            return new ReceivedWork(receipt, text, dequeueCount, inline, null) { PayloadBytes = Encoding.UTF8.GetByteCount(envelope.Payload!) };
        }

        if (!reference.StartsWith(_staging, StringComparison.Ordinal) || reference.Contains("..", StringComparison.Ordinal))
        {
            return new ReceivedWork(receipt, text, dequeueCount, null, $"The payload reference '{reference}' is outside {_staging}.");
        }

        // Only the size now: the payload is downloaded once the consumer has room for it.
        long size;
        try
        {
            size = (await _uploads.GetBlobClient(reference).GetPropertiesAsync(cancellationToken: cancellationToken)).Value.ContentLength;
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            return new ReceivedWork(receipt, text, dequeueCount, null, $"The staged payload {reference} does not exist.");
        }

        var item = new DurableWorkItem(envelope.Id, envelope.Handler, string.Empty, dequeueCount);
        Log.WorkReceived(_logger, item.Id, messageId, item.Handler, dequeueCount);
        return new ReceivedWork(receipt with { PayloadReference = reference }, text, dequeueCount, item, null) { PayloadBytes = size, PayloadPending = true };
    }

    private static string DecodeText(string raw)
    {
        var buffer = new byte[raw.Length];
        if (Convert.TryFromBase64String(raw, buffer, out var written))
        {
            try
            {
                return new UTF8Encoding(false, true).GetString(buffer, 0, written);
            }
            catch (DecoderFallbackException)
            {
                // Not UTF-8 after all: read the text as it came.
            }
        }

        return raw;
    }

    private async Task DeleteStagedAsync(string reference)
    {
        try
        {
            await _uploads.GetBlobClient(reference).DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
        }
        catch (RequestFailedException exception)
        {
            Log.StagedPayloadDeleteFailed(_logger, reference, exception);
        }
    }

    private static bool IsGoneOrLeaseLost(RequestFailedException exception) =>
        exception.Status == 404 || exception.ErrorCode == "PopReceiptMismatch";
}
