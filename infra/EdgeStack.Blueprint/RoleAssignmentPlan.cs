namespace EdgeStack.Blueprint;

/// <summary>A built-in role granted to the stack's identity.</summary>
/// <param name="LogicalName">The Pulumi logical name of the assignment.</param>
/// <param name="RoleName">The built-in role's display name.</param>
/// <param name="RoleDefinitionGuid">The built-in role's id (the same in every subscription).</param>
/// <param name="Scope">The resource it is granted on.</param>
public sealed record RoleAssignmentPlan(string LogicalName, string RoleName, string RoleDefinitionGuid, RoleScope Scope)
{
    /// <summary>The full role definition id ARM expects.</summary>
    /// <param name="subscriptionId">The subscription the stack deploys into.</param>
    /// <returns><c>/subscriptions/{id}/providers/Microsoft.Authorization/roleDefinitions/{guid}</c>.</returns>
    public string RoleDefinitionId(string subscriptionId)
    {
        ArgumentException.ThrowIfNullOrEmpty(subscriptionId);
        return $"/subscriptions/{subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/{RoleDefinitionGuid}";
    }
}
