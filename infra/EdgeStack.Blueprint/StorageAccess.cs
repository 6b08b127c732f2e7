namespace EdgeStack.Blueprint;

/// <summary>What a function does with a storage resource; decides the data role it is granted on it.</summary>
public enum StorageAccess
{
    /// <summary><c>read</c>: a data reader role on that resource only.</summary>
    Read = 1,

    /// <summary><c>readwrite</c>: a data contributor role on that resource only.</summary>
    ReadWrite = 2,
}
