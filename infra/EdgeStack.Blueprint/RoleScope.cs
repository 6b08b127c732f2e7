namespace EdgeStack.Blueprint;

/// <summary>The resource a role assignment is scoped to.</summary>
public enum RoleScope
{
    /// <summary>The stack's container registry.</summary>
    Registry = 1,

    /// <summary>The stack's storage account.</summary>
    StorageAccount = 2,
}
