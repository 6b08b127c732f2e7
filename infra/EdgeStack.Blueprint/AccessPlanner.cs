namespace EdgeStack.Blueprint;

/// <summary>Decides each function's identity and roles from its declaration: least privilege, one identity per function.</summary>
/// <remarks>
/// A function gets AcrPull on the registry and, for every storage resource it declares (<see cref="FunctionDeclaration.AllStorage"/>,
/// its own work queues included), the data reader role for <c>read</c> or the data contributor role for <c>readwrite</c>,
/// scoped to that container, queue or table. Nothing is granted on the account as a whole.
/// </remarks>
public static class AccessPlanner
{
    /// <summary>The identity a function runs as.</summary>
    /// <param name="declaration">The function.</param>
    /// <param name="names">The stack's resource names.</param>
    /// <returns>Its identity.</returns>
    public static IdentityPlan Identity(FunctionDeclaration declaration, ResourceNames names)
    {
        ArgumentNullException.ThrowIfNull(declaration);
        ArgumentNullException.ThrowIfNull(names);
        return new IdentityPlan(LogicalNames.Identity(declaration.Name), names.Identity(declaration.Name));
    }

    /// <summary>The roles a function's identity gets.</summary>
    /// <param name="declaration">The function.</param>
    /// <returns>AcrPull, then one role per declared storage resource, by kind and name.</returns>
    public static IReadOnlyList<RoleAssignmentPlan> Roles(FunctionDeclaration declaration)
    {
        ArgumentNullException.ThrowIfNull(declaration);

        var roles = new List<RoleAssignmentPlan> { new(LogicalNames.Role(declaration.Name, "acr-pull"), BuiltInRole.AcrPull, RoleScope.Registry, string.Empty) };

        // A resource declared more than once gets the widest access declared for it, once.
        var needs = declaration.AllStorage
            .GroupBy(n => (n.Kind, n.Name))
            .Select(g => g.MaxBy(n => n.Access)!)
            .OrderBy(n => n.Kind)
            .ThenBy(n => n.Name, StringComparer.Ordinal);
        foreach (var need in needs)
        {
            var (scope, role) = RoleFor(need);
            var level = need.Access == StorageAccess.Read ? "reader" : "contributor";
            var kind = scope.ToString().ToLowerInvariant();
            roles.Add(new RoleAssignmentPlan(LogicalNames.Role(declaration.Name, $"{kind}-{need.Name}-{level}"), role, scope, need.Name));
        }

        return roles;
    }

    private static (RoleScope Scope, BuiltInRole Role) RoleFor(StorageNeed need) => (need.Kind, need.Access) switch
    {
        (StorageKind.Container, StorageAccess.Read) => (RoleScope.Container, BuiltInRole.StorageBlobDataReader),
        (StorageKind.Container, StorageAccess.ReadWrite) => (RoleScope.Container, BuiltInRole.StorageBlobDataContributor),
        (StorageKind.Queue, StorageAccess.Read) => (RoleScope.Queue, BuiltInRole.StorageQueueDataReader),
        (StorageKind.Queue, StorageAccess.ReadWrite) => (RoleScope.Queue, BuiltInRole.StorageQueueDataContributor),
        (StorageKind.Table, StorageAccess.Read) => (RoleScope.Table, BuiltInRole.StorageTableDataReader),
        (StorageKind.Table, StorageAccess.ReadWrite) => (RoleScope.Table, BuiltInRole.StorageTableDataContributor),
        _ => throw new ArgumentOutOfRangeException(nameof(need), need, "Unknown storage kind or access."),
    };
}
