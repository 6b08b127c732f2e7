using System.Collections.Immutable;

namespace EdgeStack.Infra.Tests;

/// <summary>Reads the wire form of resource inputs: objects are string-keyed dictionaries, lists are immutable arrays.</summary>
/// <remarks>The mock monitor omits nulls and unknowns, so every value read here is non-null.</remarks>
internal static class Wire
{
    public static IReadOnlyDictionary<string, object> Object(object? value) =>
        value as IReadOnlyDictionary<string, object>
        ?? throw new InvalidCastException($"Expected an object, got {value?.GetType().Name ?? "null"}.");

    public static IReadOnlyList<object> List(object? value) => value switch
    {
        ImmutableArray<object> array => array,
        IEnumerable<object> sequence when value is not string => [.. sequence],
        _ => throw new InvalidCastException($"Expected a list, got {value?.GetType().Name ?? "null"}."),
    };

    public static object? At(object? value, params string[] path)
    {
        foreach (var key in path)
        {
            value = Object(value).GetValueOrDefault(key);
        }

        return value;
    }
}
