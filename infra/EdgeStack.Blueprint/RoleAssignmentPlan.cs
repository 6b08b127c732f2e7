namespace EdgeStack.Blueprint;

/// <summary>A built-in role granted to one function's identity on one resource.</summary>
/// <param name="LogicalName">The Pulumi logical name of the assignment.</param>
/// <param name="Role">The built-in role.</param>
/// <param name="Scope">The kind of resource it is granted on.</param>
/// <param name="ResourceName">The container, queue or table it is granted on; empty for the registry.</param>
public sealed record RoleAssignmentPlan(string LogicalName, BuiltInRole Role, RoleScope Scope, string ResourceName)
{
    /// <summary>Gets a short description of the scope, such as <c>queue:upload-jobs</c> or <c>registry</c>.</summary>
    public string ScopeDescription => Scope == RoleScope.Registry ? "registry" : $"{Scope.ToString().ToLowerInvariant()}:{ResourceName}";
}
