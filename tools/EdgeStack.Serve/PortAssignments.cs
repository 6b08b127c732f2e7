using System.Text.Json;

namespace EdgeStack.Serve;

/// <summary>
/// Which port each function gets, kept in <c>ports.json</c> of the state folder as an offset from the port base, so a
/// function keeps its port when another one is added or removed (the gateway has the base itself, offset 0).
/// </summary>
internal static class PortAssignments
{
    public const string FileName = "ports.json";

    /// <summary>The highest offset: the port base option leaves room for this many ports after it.</summary>
    public const int MaxOffset = 99;

    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true };

    /// <summary>Loads the kept offsets, gives each new function the lowest free offset (in name order) and saves them.</summary>
    /// <returns>The offset of each of <paramref name="functions"/>.</returns>
    public static IReadOnlyDictionary<string, int> LoadOrAssign(string stateDirectory, IEnumerable<string> functions)
    {
        var path = Path.Combine(stateDirectory, FileName);
        Dictionary<string, int> kept;
        try
        {
            kept = File.Exists(path) ? JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllText(path)) ?? [] : [];
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"{path} is not a JSON object of function names and port offsets ({e.Message}); delete it to assign ports afresh.", e);
        }

        var bad = kept.Where(p => p.Value is < 1 or > MaxOffset).Select(p => p.Key).ToList();
        if (bad.Count > 0 || kept.Values.Distinct().Count() != kept.Count)
        {
            throw new InvalidOperationException($"{path} holds offsets out of 1–{MaxOffset} or shared by two functions ({string.Join(", ", bad)}); delete it to assign ports afresh.");
        }

        // Functions that no longer exist keep their offset, so removing one and adding it back restores its port.
        var changed = false;
        foreach (var function in functions.Order(StringComparer.Ordinal).Where(f => !kept.ContainsKey(f)))
        {
            var free = Enumerable.Range(1, MaxOffset).Except(kept.Values).DefaultIfEmpty(0).First();
            if (free == 0)
            {
                throw new InvalidOperationException($"No port offset is left for {function} (1–{MaxOffset} are taken in {path}); remove entries of functions that no longer exist.");
            }

            kept[function] = free;
            changed = true;
        }

        if (changed || !File.Exists(path))
        {
            StateFiles.WritePrivate(path, JsonSerializer.Serialize(new SortedDictionary<string, int>(kept, StringComparer.Ordinal), s_indented));
        }

        return kept;
    }
}
