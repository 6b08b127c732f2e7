
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

    [Fact]
    public void Create_DevStack_NamesEachResourceWithItsPrefix()
    {
        var names = ResourceNames.Create(TestStacks.Identity);

        Assert.Equal(
            ("log-edgestack-dev", "cae-edgestack-dev", "stedgestackdev" + names.Hash, "acredgestackdev" + names.Hash, "edgestack-dev", "id-edgestack-dev-hello"),
            (names.Workspace, names.Environment, names.StorageAccount, names.Registry, names.AppPrefix, names.Identity(TestStacks.Hello)));
    }

    [Fact]
    public void Create_Hash_IsEightLowercaseHexDigitsThatChangeWithEachPartOfTheIdentity()
    {
        var identity = TestStacks.Identity;

        var hashes = new[] { identity, identity with { SubscriptionId = "other" }, identity with { Project = "other" }, identity with { Stack = "other" } }
            .Select(i => ResourceNames.Create(i).Hash)
            .ToList();

        Assert.All(hashes, h => Assert.Matches("^[0-9a-f]{8}$", h));
        Assert.Equal(hashes.Count, hashes.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [InlineData("Feature_Branch.42", "edgestack-feature-branch-42")]
    [InlineData("--pr--7--", "edgestack-pr-7")]
    [InlineData("Dev", "edgestack-dev")]
    public void Create_StackName_IsLowercasedWithEveryRunOfOtherCharactersOneHyphen(string stack, string prefix)
    {
        var names = ResourceNames.Create(TestStacks.Identity with { Stack = stack });

        Assert.Equal((prefix, "rg-" + prefix, prefix.Replace("-", string.Empty, StringComparison.Ordinal)), (names.AppPrefix, names.ResourceGroup, names.Registry[3..^8]));
    }

    [Fact]
    public void Create_LongStackName_FillsEachGloballyUniqueNameToItsLimitAndEndsWithTheHash()
    {
        var names = ResourceNames.Create(TestStacks.Identity with { Stack = new string('s', 80) });

        Assert.Equal((24, 50), (names.StorageAccount.Length, names.Registry.Length));
        Assert.EndsWith(names.Hash, names.StorageAccount, StringComparison.Ordinal);
        Assert.EndsWith(names.Hash, names.Registry, StringComparison.Ordinal);
        Assert.StartsWith("stedgestack", names.StorageAccount, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_LongStackName_ShortensTheNamedResourcesToTheirLimitWithTheHash()
    {
        var names = ResourceNames.Create(TestStacks.Identity with { Stack = new string('s', 100) });

        Assert.Equal((90, 63, 60), (names.ResourceGroup.Length, names.Workspace.Length, names.Environment.Length));
        Assert.All([names.ResourceGroup, names.Workspace, names.Environment], n => Assert.EndsWith("-" + names.Hash, n, StringComparison.Ordinal));
        Assert.Equal(("rg-edgestack-sss", "log-edgestack-ss", "cae-edgestack-ss"), (names.ResourceGroup[..16], names.Workspace[..16], names.Environment[..16]));
    }

    [Fact]
    public void ContainerApp_NameThatFits_IsKeptWholeUpTo32Characters()
    {
        // "edgestack-dev-" is 14 characters: an 18-character function name makes exactly 32.
        var names = ResourceNames.Create(TestStacks.Identity);

        Assert.Equal("edgestack-dev-" + new string('f', 18), names.ContainerApp(new string('f', 18)));
    }

    [Fact]
    public void ContainerApp_NameOneCharacterTooLong_KeepsThePrefixStartHashAndFunction()
    {
        var names = ResourceNames.Create(TestStacks.Identity);

        var app = names.ContainerApp(new string('f', 19));

        Assert.Equal($"edg-{names.Hash}-{new string('f', 19)}", app);
    }

    [Fact]
    public void ContainerApp_FunctionNameLeavingNoRoomForThePrefix_IsTheHashAndFunctionCutTo32()
    {
        var names = ResourceNames.Create(TestStacks.Identity);

        var app = names.ContainerApp(new string('f', 30));

        Assert.Equal(($"{names.Hash}-{new string('f', 30)}")[..32], app);
    }

    [Fact]
    public void Identity_LongFunctionName_KeepsWhatFitsOfThePrefixThenTheHashAndFunction()
    {
        // "id-edgestack-dev-" is 17 characters: with 115 more the name is past 128, and 3 characters of the prefix fit.
        var names = ResourceNames.Create(TestStacks.Identity);
        var function = new string('f', 115);

        var identity = names.Identity(function);

        Assert.Equal($"id-{names.Hash}-{function}", identity);
    }

    [Fact]
    public void Problems_InvalidName_SaysWhichResourceAndWhichRule()
    {
        var names = ResourceNames.Create(TestStacks.Identity) with { Registry = "acr", StorageAccount = "ST", ResourceGroup = "rg.", Workspace = "-log", Environment = "1cae" };

        var problems = names.Problems([]);

        Assert.Equal(5, problems.Count);
        Assert.All(["resource group", "Log Analytics workspace", "Container Apps environment", "storage account", "container registry"], kind =>
            Assert.Contains(problems, p => p.StartsWith($"The {kind} name '", StringComparison.Ordinal)));
        Assert.All(problems, p => Assert.Matches(@"Azure requires \d+-\d+ ", p));
    }

    [Fact]
    public void Problems_FunctionNameWithAPeriod_ReportsItsIdentity()
    {
        var names = ResourceNames.Create(TestStacks.Identity);

        var problems = names.Problems(["hello.v2"]);

        Assert.Contains(problems, p => p.StartsWith("The identity name '", StringComparison.Ordinal) && p.Contains("Azure requires 3-128 ", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("The container app name '", StringComparison.Ordinal) && p.Contains("Azure requires 2-32 ", StringComparison.Ordinal));
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
    [InlineData("ab", true)]
    [InlineData("a", false)]
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
