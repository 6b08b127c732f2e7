using System.Text.Json;
using System.Text.Json.Serialization;
using EdgeStack.Testing;

namespace EdgeStack.Reliability.Tests;

/// <summary>One scenario's figures, written as a JSON line to <c>.edgestack/reliability/{scenario}.json</c> and rendered into RELIABILITY.md.</summary>
public sealed record ScenarioResult
{
    private static readonly JsonSerializerOptions s_json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public static string Folder => Path.Combine(TestPaths.RepositoryRoot, ".edgestack", "reliability");

    public required int Number { get; init; }

    public required string Scenario { get; init; }

    public required string Title { get; init; }

    public string Mode { get; init; } = ReliabilityRun.Mode;

    public int Seed { get; init; } = ReliabilityRun.Seed;

    public required string LoadHeld { get; init; }

    public required string FaultsInjected { get; init; }

    public required string InputsTried { get; init; }

    public required long RequestsAccepted { get; init; }

    public required long WorkLost { get; init; }

    public required double DurationSeconds { get; init; }

    /// <summary>Further figures of the scenario, in the order they are shown.</summary>
    public IReadOnlyList<string[]> Details { get; init; } = [];

    public DateTimeOffset FinishedAt { get; init; } = DateTimeOffset.UtcNow;

    public void Write()
    {
        Directory.CreateDirectory(Folder);
        File.WriteAllText(Path.Combine(Folder, Scenario + ".json"), JsonSerializer.Serialize(this, s_json) + "\n");
    }

    public static IReadOnlyList<ScenarioResult> ReadAll(string folder) =>
        Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*.json")
                .Select(f => JsonSerializer.Deserialize<ScenarioResult>(File.ReadAllText(f), s_json)!)
                .OrderBy(r => r.Number)
                .ToList()
            : [];
}
