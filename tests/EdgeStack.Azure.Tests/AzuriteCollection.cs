using EdgeStack.Testing;

namespace EdgeStack.Azure.Tests;

/// <summary>One Azurite for every test class that talks to storage.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
