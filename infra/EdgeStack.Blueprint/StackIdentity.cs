namespace EdgeStack.Blueprint;

/// <summary>What makes a deployment unique: the Azure subscription, the Pulumi project and the stack.</summary>
/// <param name="SubscriptionId">The Azure subscription the stack deploys into.</param>
/// <param name="Project">The Pulumi project name (<c>edgestack</c>).</param>
/// <param name="Stack">The Pulumi stack name, such as <c>dev</c>.</param>
public sealed record StackIdentity(string SubscriptionId, string Project, string Stack);
