using System.Text.Json.Serialization;

namespace EdgeStack.Azure;

/// <summary>The body of a poison queue message (<c>&lt;name&gt;-jobs-poison</c>): the original message, why it was given up and when.</summary>
/// <param name="MessageId">The id the message had on the work queue.</param>
/// <param name="Message">The original message text, or null when it was too large to carry and was staged at <paramref name="MessageReference"/>.</param>
/// <param name="Reason">Why the work was given up.</param>
/// <param name="DequeueCount">How many times the queue had handed the message out.</param>
/// <param name="PoisonedAt">When the work was given up.</param>
/// <param name="MessageReference">The blob in the <c>uploads</c> container that holds the original message text, when it was too large to carry.</param>
public sealed record PoisonedWork(
    [property: JsonPropertyName("messageId")] string MessageId,
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("dequeueCount")] long DequeueCount,
    [property: JsonPropertyName("poisonedAt")] DateTimeOffset PoisonedAt,
    [property: JsonPropertyName("messageRef")] string? MessageReference = null);
