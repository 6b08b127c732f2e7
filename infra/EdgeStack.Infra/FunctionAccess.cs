using EdgeStack.Blueprint;
using Pulumi;
using Authorization = Pulumi.AzureNative.Authorization;
using ManagedIdentity = Pulumi.AzureNative.ManagedIdentity;

namespace EdgeStack.Infra;

/// <summary>One function's identity and its role assignments, each scoped to the one resource the plan names.</summary>
/// <param name="Identity">The user-assigned identity the function runs as.</param>
/// <param name="Roles">Its role assignments, which the function's first revision waits for.</param>
internal sealed record FunctionAccess(ManagedIdentity.UserAssignedIdentity Identity, IReadOnlyList<Authorization.RoleAssignment> Roles)
{
    /// <summary>Creates a function's identity and grants it its roles.</summary>
    /// <param name="identity">The planned identity.</param>
    /// <param name="roles">The planned roles.</param>
    /// <param name="plan">The stack plan (location, subscription).</param>
    /// <param name="shared">The resources the roles are scoped to.</param>
    /// <returns>The identity and its assignments.</returns>
    public static FunctionAccess Deploy(IdentityPlan identity, IEnumerable<RoleAssignmentPlan> roles, StackPlan plan, SharedResources shared)
    {
        var resource = new ManagedIdentity.UserAssignedIdentity(identity.LogicalName, new ManagedIdentity.UserAssignedIdentityArgs
        {
            ResourceGroupName = shared.ResourceGroup.Name,
            ResourceName = identity.AzureName,
            Location = plan.Location,
        });

        var assignments = roles.Select(role => new Authorization.RoleAssignment(role.LogicalName, new Authorization.RoleAssignmentArgs
        {
            PrincipalId = resource.PrincipalId,
            PrincipalType = Authorization.PrincipalType.ServicePrincipal,
            RoleDefinitionId = role.Role.DefinitionId(plan.Identity.SubscriptionId),
            Scope = Scope(role, shared),
        })).ToList();

        return new FunctionAccess(resource, assignments);
    }

    private static Output<string> Scope(RoleAssignmentPlan role, SharedResources shared) => role.Scope switch
    {
        RoleScope.Registry => shared.Registry.Id,
        RoleScope.Container => shared.Containers[role.ResourceName].Id,
        RoleScope.Queue => shared.Queues[role.ResourceName].Id,
        RoleScope.Table => shared.Tables[role.ResourceName].Id,
        _ => throw new InvalidOperationException($"Unknown role scope {role.Scope}."),
    };
}
