namespace EdgeStack.Blueprint;

/// <summary>The user-assigned identity one function runs as: it pulls the function's image and reaches only the storage the function declares.</summary>
/// <param name="LogicalName">The Pulumi logical name, such as <c>identity-hello</c>.</param>
/// <param name="AzureName">The identity's Azure name.</param>
public sealed record IdentityPlan(string LogicalName, string AzureName);
