namespace EdgeStack.Plan;

/// <summary>One resource of a plan: its Pulumi type token, logical name and the inputs a reviewer cares about.</summary>
/// <param name="Type">The Pulumi type token, such as <c>azure-native:app:ContainerApp</c>.</param>
/// <param name="Name">The Pulumi logical name.</param>
/// <param name="Fields">The inputs shown, in a fixed order, each a string or a list of strings; secret values are never among them.</param>
public sealed record PlanEntry(string Type, string Name, IReadOnlyList<KeyValuePair<string, object>> Fields)
{
    /// <summary>The entry as one line: <c>type name key=value …</c>, lists as <c>[a, b]</c>.</summary>
    /// <returns>The line.</returns>
    public string ToLine() => string.Join(' ', new[] { Type, Name }.Concat(Fields.Select(f => $"{f.Key}={Text(f.Value)}")));

    private static string Text(object value) => value as string ?? "[" + string.Join(", ", (IEnumerable<string>)value) + "]";
}
