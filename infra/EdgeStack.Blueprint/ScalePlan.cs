namespace EdgeStack.Blueprint;

/// <summary>How an app scales.</summary>
/// <param name="MinReplicas">The fewest replicas.</param>
/// <param name="MaxReplicas">The most replicas.</param>
/// <param name="Rules">The rules that add replicas.</param>
public sealed record ScalePlan(int MinReplicas, int MaxReplicas, IReadOnlyList<ScaleRulePlan> Rules);
