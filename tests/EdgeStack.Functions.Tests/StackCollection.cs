namespace EdgeStack.Functions.Tests;

/// <summary>The tests that share one Azurite and one process of each app; they run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class StackCollection : ICollectionFixture<StackFixture>
{
    public const string Name = "Stack";
}
