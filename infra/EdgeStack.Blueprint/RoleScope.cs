namespace EdgeStack.Blueprint;

/// <summary>The kind of resource a role assignment is scoped to: never the whole storage account.</summary>
public enum RoleScope
{
    /// <summary>The stack's container registry.</summary>
    Registry = 1,

    /// <summary>One blob container.</summary>
    Container = 2,

    /// <summary>One queue.</summary>
    Queue = 3,

    /// <summary>One table.</summary>
    Table = 4,
}
