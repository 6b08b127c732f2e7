
namespace EdgeStack.Blueprint.Tests;

public class ResourceNamesTests
{
    [Fact]
    public void Create_SameIdentity_GivesTheSameNames()
    {
        var first = ResourceNames.Create(TestStacks.Identity);

        var second = ResourceNames.Create(TestStacks.Identity with { });

        Assert.Equal(first, second);
    }

    [Fact]
    public void Create_OtherSubscription_GivesOtherGloballyUniqueNames()
    {
        var first = ResourceNames.Create(TestStacks.Identity);

        var second = ResourceNames.Create(TestStacks.Identity with { SubscriptionId = "99999999-1111-2222-3333-444444444444" });

        Assert.NotEqual((first.StorageAccount, first.Registry), (second.StorageAccount, second.Registry));
    }

    [Fact]
    public void Create_DevStack_GivesReadableNames()
    {
        var names = ResourceNames.Create(TestStacks.Identity);

        Assert.Equal(("rg-edgestack-dev", "edgestack-dev-hello"), (names.ResourceGroup, names.ContainerApp(TestStacks.Hello)));
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("a-very-long-stack-name-for-a-feature-branch-preview-environment")]
    [InlineData("Feature_Branch.42")]
    public void Problems_AnyPulumiStackName_FindsNone(string stack)
    {
        var names = ResourceNames.Create(TestStacks.Identity with { Stack = stack });

        var problems = names.Problems(TestStacks.Functions.Select(f => f.Name));

        Assert.Empty(problems);
    }

    [Fact]
    public void ContainerApp_LongStackName_StaysDistinctPerFunction()
    {
        var names = ResourceNames.Create(TestStacks.Identity with { Stack = "a-very-long-stack-name-for-a-feature-branch" });

        var apps = TestStacks.Functions.Select(f => f.Name).Select(names.ContainerApp).ToList();

        Assert.Equal(apps.Count, apps.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Problems_StackStartingWithDigitAndProjectEmpty_ReportsTheContainerAppRule()
    {
        var names = ResourceNames.Create(new StackIdentity("sub", "-", "1"));

        var problems = names.Problems([TestStacks.Hello]);

        Assert.Contains(problems, p => p.Contains("container app", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("st", false)]
    [InlineData("stedgestackdev12345678", true)]
    [InlineData("StEdgestack", false)]
    [InlineData("st-edgestack", false)]
    [InlineData("stedgestackdev1234567890", true)]
    [InlineData("stedgestackdev12345678901", false)]
    public void IsValidStorageAccountName_Candidate_FollowsAzureRules(string name, bool valid)
    {
        var result = NameRules.IsValidStorageAccountName(name);

        Assert.Equal(valid, result);
    }

    [Theory]
    [InlineData("edgestack-dev-hello", true)]
    [InlineData("edgestack-dev-", false)]
    [InlineData("1edgestack", false)]
    [InlineData("edgestack--hello", false)]
    [InlineData("Edgestack-hello", false)]
    [InlineData("a23456789012345678901234567890123", false)]
    public void IsValidContainerAppName_Candidate_FollowsAzureRules(string name, bool valid)
    {
        var result = NameRules.IsValidContainerAppName(name);

        Assert.Equal(valid, result);
    }
}
