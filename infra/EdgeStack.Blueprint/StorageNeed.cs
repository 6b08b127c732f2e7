namespace EdgeStack.Blueprint;

/// <summary>One storage resource a function uses, as declared in its <c>edgestack.json</c>.</summary>
/// <param name="Kind">Container, queue or table.</param>
/// <param name="Name">The resource's name, such as <c>uploads</c>.</param>
/// <param name="Access">Read, or read and write.</param>
public sealed record StorageNeed(StorageKind Kind, string Name, StorageAccess Access);
