namespace EdgeStack.Blueprint;

/// <summary>One scale rule of an app.</summary>
/// <param name="Name">The rule's name.</param>
/// <param name="Kind">HTTP or queue.</param>
/// <param name="ConcurrentRequests">For <see cref="ScaleRuleKind.Http"/>: requests per replica before another is added.</param>
/// <param name="QueueName">For <see cref="ScaleRuleKind.AzureQueue"/>: the queue watched.</param>
/// <param name="QueueLength">For <see cref="ScaleRuleKind.AzureQueue"/>: messages per replica before another is added.</param>
/// <param name="StorageAccountName">For <see cref="ScaleRuleKind.AzureQueue"/>: the account holding the queue.</param>
public sealed record ScaleRulePlan(
    string Name,
    ScaleRuleKind Kind,
    int? ConcurrentRequests,
    string? QueueName,
    int? QueueLength,
    string? StorageAccountName);
