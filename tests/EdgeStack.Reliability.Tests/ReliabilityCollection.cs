namespace EdgeStack.Reliability.Tests;

/// <summary>The scenarios run one at a time: each loads the machine on its own, so their figures are comparable.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ReliabilityCollection
{
    public const string Name = "Reliability";
}
