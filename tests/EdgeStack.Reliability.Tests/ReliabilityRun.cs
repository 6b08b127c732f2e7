using System.Globalization;

namespace EdgeStack.Reliability.Tests;

/// <summary>Short (CI, the default) or long (<c>EDGESTACK_RELIABILITY=long</c>, <c>./edgestack reliability</c>) scenarios, and their seed.</summary>
internal static class ReliabilityRun
{
    public const string ModeVariable = "EDGESTACK_RELIABILITY";
    public const string SeedVariable = "EDGESTACK_RELIABILITY_SEED";

    public static bool IsLong { get; } = string.Equals(Environment.GetEnvironmentVariable(ModeVariable), "long", StringComparison.OrdinalIgnoreCase);

    public static string Mode => IsLong ? "long" : "short";

    /// <summary>The seed of every random choice; set <c>EDGESTACK_RELIABILITY_SEED</c> to replay a run.</summary>
    public static int Seed { get; } = int.TryParse(Environment.GetEnvironmentVariable(SeedVariable), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed)
        ? seed
        : Random.Shared.Next(1, 1_000_000);

    public static T Pick<T>(T shortRun, T longRun) => IsLong ? longRun : shortRun;
}
