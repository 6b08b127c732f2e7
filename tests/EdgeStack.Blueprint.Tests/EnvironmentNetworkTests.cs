namespace EdgeStack.Blueprint.Tests;

public class EnvironmentNetworkTests
{
    [Fact]
    public void Plan_DefaultStack_PutsTheEnvironmentSubnetInsideTheVirtualNetwork()
    {
        var plan = TestStacks.DefaultPlan();

        Assert.Equal(
            (plan.Names.VirtualNetwork, EnvironmentNetwork.DefaultAddressSpace, NetworkPlan.EnvironmentSubnetName, EnvironmentNetwork.DefaultSubnetPrefix),
            (plan.Network.VirtualNetworkName, plan.Network.AddressSpace, plan.Network.SubnetName, plan.Network.SubnetPrefix));
    }

    [Fact]
    public void Parse_ConfiguredNetwork_ReachesThePlan()
    {
        var config = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [StackConfigKeys.VirtualNetworkAddressSpace] = "172.16.0.0/12",
            [StackConfigKeys.EnvironmentSubnetPrefix] = "172.16.4.0/24",
        };

        var plan = TestStacks.Plan(config);

        Assert.Equal(("172.16.0.0/12", "172.16.4.0/24"), (plan.Network.AddressSpace, plan.Network.SubnetPrefix));
    }

    [Theory]
    [InlineData(StackConfigKeys.VirtualNetworkAddressSpace, "10.20.0.0")]
    [InlineData(StackConfigKeys.VirtualNetworkAddressSpace, "10.20.0.1/16")]
    [InlineData(StackConfigKeys.VirtualNetworkAddressSpace, "fd00::/48")]
    [InlineData(StackConfigKeys.EnvironmentSubnetPrefix, "ten/24")]
    [InlineData(StackConfigKeys.EnvironmentSubnetPrefix, "10.20.0.0/33")]
    public void Parse_NotACanonicalIpv4Cidr_FailsNamingTheKeyAndValue(string key, string value)
    {
        var error = ParseError(new() { [key] = value });

        Assert.Contains($"{key}: '{value}' is not an IPv4 network", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SubnetSmallerThanSlash27_FailsNamingTheMinimum()
    {
        var error = ParseError(new() { [StackConfigKeys.EnvironmentSubnetPrefix] = "10.20.0.0/28" });

        Assert.Contains($"{StackConfigKeys.EnvironmentSubnetPrefix}: 10.20.0.0/28 is too small; a workload profiles environment needs a /27 or larger subnet.", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SubnetOutsideTheAddressSpace_FailsNamingBoth()
    {
        var error = ParseError(new() { [StackConfigKeys.EnvironmentSubnetPrefix] = "10.21.0.0/23" });

        Assert.Contains($"{StackConfigKeys.EnvironmentSubnetPrefix}: 10.21.0.0/23 is not inside the virtual network's address space 10.20.0.0/16", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SubnetLargerThanTheAddressSpace_Fails()
    {
        var error = ParseError(new()
        {
            [StackConfigKeys.VirtualNetworkAddressSpace] = "10.20.0.0/24",
            [StackConfigKeys.EnvironmentSubnetPrefix] = "10.20.0.0/20",
        });

        Assert.Contains("10.20.0.0/20 is not inside the virtual network's address space 10.20.0.0/24", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AddressSpaceOverlappingTheEnvironmentsReservedRange_FailsNamingTheRange()
    {
        var error = ParseError(new()
        {
            [StackConfigKeys.VirtualNetworkAddressSpace] = "100.100.0.0/16",
            [StackConfigKeys.EnvironmentSubnetPrefix] = "100.100.224.0/20",
        });

        Assert.Contains($"{StackConfigKeys.VirtualNetworkAddressSpace}: 100.100.0.0/16 overlaps 100.100.0.0/17", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SubnetTooSmallForTheAppsAtTheirMostReplicas_FailsNamingTheNeedAndTheSize()
    {
        // Four apps at 10 replicas each need 14 + 2 * 40 = 94 addresses: a /26 (64) is too small, a /25 (128) suffices.
        var error = ParseError(new() { [StackConfigKeys.EnvironmentSubnetPrefix] = "10.20.0.0/26" });

        Assert.Contains($"{StackConfigKeys.EnvironmentSubnetPrefix}: 10.20.0.0/26 holds 64 addresses but the functions need 94", error, StringComparison.Ordinal);
        Assert.Contains("use /25 or larger", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SubnetJustLargeEnoughForTheAppsAtTheirMostReplicas_IsAccepted()
    {
        var settings = TestStacks.Parse(new Dictionary<string, string>(StringComparer.Ordinal) { [StackConfigKeys.EnvironmentSubnetPrefix] = "10.20.0.0/25" });

        Assert.Equal("10.20.0.0/25", settings.EnvironmentSubnetPrefix);
    }

    [Fact]
    public void Parse_FourAppsAtTwoReplicas_FitASlash27()
    {
        var config = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [StackConfigKeys.EnvironmentSubnetPrefix] = "10.20.0.0/27",
            [StackConfigKeys.Functions] = """{"hello":{"maxReplicas":2},"upload":{"maxReplicas":2},"analytics":{"maxReplicas":2},"worker":{"maxReplicas":2}}""",
        };

        var settings = TestStacks.Parse(config);

        Assert.Equal("10.20.0.0/27", settings.EnvironmentSubnetPrefix);
    }

    private static string ParseError(Dictionary<string, string> config) =>
        Assert.Throws<InvalidOperationException>(() => TestStacks.Parse(config)).Message;
}
