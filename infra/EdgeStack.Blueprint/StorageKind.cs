namespace EdgeStack.Blueprint;

/// <summary>The kinds of storage resource a function can declare that it uses.</summary>
public enum StorageKind
{
    /// <summary>A blob container (<c>storage.containers</c>).</summary>
    Container = 1,

    /// <summary>A queue (<c>storage.queues</c>).</summary>
    Queue = 2,

    /// <summary>A table (<c>storage.tables</c>).</summary>
    Table = 3,
}
