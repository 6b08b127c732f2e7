
namespace EdgeStack.Blueprint.Tests;

public class StackSettingsParserTests
{
    private static readonly string[] BadKeys = ["functions.hello.cpu", "functions.upload.taskTimeoutSeconds", "analyticsRetentionDays"];

    [Fact]
    public void Parse_EmptyConfig_UsesDocumentedDefaults()
    {
        var settings = TestStacks.Parse(TestStacks.Empty());

        var hello = settings.For(TestStacks.Hello);
        Assert.Equal(("westeurope", 30), (settings.Location, settings.AnalyticsRetentionDays));
        Assert.Equal((0.25, "0.5Gi", 0, 10, 30, 150, true, true),
            (hello.Cpu, hello.Memory, hello.MinReplicas, hello.MaxReplicas, hello.TerminationGracePeriodSeconds, hello.TaskTimeoutSeconds, hello.ExternalIngress, hello.RequireKey));
    }

    [Fact]
    public void Parse_EmptyConfig_KeepsAnalyticsInternalAndEveryKeyRequired()
    {
        var settings = TestStacks.Parse(TestStacks.Empty());

        Assert.False(settings.For(TestStacks.Analytics).ExternalIngress);
        Assert.All(settings.Functions, f => Assert.True(f.RequireKey));
    }

    [Fact]
    public void Parse_JsonNumbersAndBooleans_AreRead()
    {
        var config = TestStacks.WithFunctions("""{"hello":{"cpu":0.5,"memory":"1Gi","maxReplicas":3,"terminationGracePeriodSeconds":120,"externalIngress":false}}""");

        var hello = TestStacks.Parse(config).For(TestStacks.Hello);

        Assert.Equal((0.5, "1Gi", 3, 120, false), (hello.Cpu, hello.Memory, hello.MaxReplicas, hello.TerminationGracePeriodSeconds, hello.ExternalIngress));
    }

    [Fact]
    public void Parse_ValuesAsText_AreRead()
    {
        var config = TestStacks.WithFunctions("""{"upload":{"cpu":"1","minReplicas":"2","requireKey":"false"}}""");

        var upload = TestStacks.Parse(config).For(TestStacks.Upload);

        Assert.Equal((1.0, 2, false), (upload.Cpu, upload.MinReplicas, upload.RequireKey));
    }

    [Fact]
    public void Parse_CpuWithoutMemory_PairsMemoryWithCpu()
    {
        var config = TestStacks.WithFunctions("""{"hello":{"cpu":1.5}}""");

        var hello = TestStacks.Parse(config).For(TestStacks.Hello);

        Assert.Equal("3Gi", hello.Memory);
    }

    [Theory]
    [InlineData(601)]
    [InlineData(4)]
    [InlineData(0)]
    public void Parse_GracePeriodOutOfRange_FailsNamingTheKey(int grace)
    {
        var config = TestStacks.WithFunctions($$$"""{"hello":{"terminationGracePeriodSeconds":{{{grace}}}}}""");

        var exception = Assert.Throws<InvalidOperationException>(() => TestStacks.Parse(config));

        Assert.Contains("functions.hello.terminationGracePeriodSeconds", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MemoryNotPairedWithCpu_FailsNamingTheMemoryKey()
    {
        var config = TestStacks.WithFunctions("""{"upload":{"cpu":0.5,"memory":"0.5Gi"}}""");

        var exception = Assert.Throws<InvalidOperationException>(() => TestStacks.Parse(config));

        Assert.Contains("functions.upload.memory", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_CpuNotAContainerAppsSize_FailsNamingTheCpuKey()
    {
        var config = TestStacks.WithFunctions("""{"upload":{"cpu":0.3}}""");

        var exception = Assert.Throws<InvalidOperationException>(() => TestStacks.Parse(config));

        Assert.Contains("functions.upload.cpu", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MinReplicasAboveMax_FailsNamingTheMinKey()
    {
        var config = TestStacks.WithFunctions("""{"worker":{"minReplicas":5,"maxReplicas":2}}""");

        var exception = Assert.Throws<InvalidOperationException>(() => TestStacks.Parse(config));

        Assert.Contains("functions.worker.minReplicas", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BooleanNotTrueOrFalse_FailsNamingTheKey()
    {
        var config = TestStacks.WithFunctions("""{"hello":{"requireKey":"yes"}}""");

        var exception = Assert.Throws<InvalidOperationException>(() => TestStacks.Parse(config));

        Assert.Contains("functions.hello.requireKey", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ExternalIngressOnWorker_FailsBecauseTheWorkerHasNoIngress()
    {
        var config = TestStacks.WithFunctions("""{"worker":{"externalIngress":true}}""");

        var exception = Assert.Throws<InvalidOperationException>(() => TestStacks.Parse(config));

        Assert.Contains("functions.worker.externalIngress", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownFunction_FailsNamingIt()
    {
        var config = TestStacks.WithFunctions("""{"helo":{"cpu":0.25}}""");

        var exception = Assert.Throws<InvalidOperationException>(() => TestStacks.Parse(config));

        Assert.Contains("functions.helo", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownFunctionSetting_FailsNamingIt()
    {
        var config = TestStacks.WithFunctions("""{"hello":{"CPU":0.25}}""");

        var exception = Assert.Throws<InvalidOperationException>(() => TestStacks.Parse(config));

        Assert.Contains("functions.hello.CPU", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownTopLevelKey_FailsNamingIt()
    {
        var config = TestStacks.Empty();
        config["retentionDays"] = "30";

        var exception = Assert.Throws<InvalidOperationException>(() => TestStacks.Parse(config));

        Assert.Contains("retentionDays", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_FunctionsNotJson_FailsNamingTheKey()
    {
        var config = TestStacks.WithFunctions("hello: {cpu: 1}");

        var exception = Assert.Throws<InvalidOperationException>(() => TestStacks.Parse(config));

        Assert.StartsWith("The stack configuration is invalid:", exception.Message, StringComparison.Ordinal);
        Assert.Contains("  - functions:", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("29")]
    [InlineData("731")]
    [InlineData("thirty")]
    public void Parse_RetentionOutOfRange_FailsNamingTheKey(string days)
    {
        var config = TestStacks.Empty();
        config[StackConfigKeys.AnalyticsRetentionDays] = days;

        var exception = Assert.Throws<InvalidOperationException>(() => TestStacks.Parse(config));

        Assert.Contains("analyticsRetentionDays", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_LocationDisplayName_FailsNamingTheKey()
    {
        var config = TestStacks.Empty();
        config[StackConfigKeys.Location] = "West Europe";

        var exception = Assert.Throws<InvalidOperationException>(() => TestStacks.Parse(config));

        Assert.Contains("location:", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SeveralBadValues_ListsEveryKeyInOneException()
    {
        var config = TestStacks.WithFunctions("""{"hello":{"cpu":3},"upload":{"taskTimeoutSeconds":0}}""");
        config[StackConfigKeys.AnalyticsRetentionDays] = "1";

        var exception = Assert.Throws<InvalidOperationException>(() => TestStacks.Parse(config));

        Assert.All(
            BadKeys,
            key => Assert.Contains(key, exception.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_KeyRequiredAndNoSecretSet_Parses()
    {
        var settings = TestStacks.Parse(TestStacks.Empty());

        Assert.All(settings.Functions, f => Assert.True(f.RequireKey));
    }

    [Fact]
    public void Parse_KeyNotRequired_TurnsTheKeyOff()
    {
        var config = TestStacks.WithFunctions("""{"hello":{"requireKey":false},"upload":{"requireKey":false},"analytics":{"requireKey":false},"worker":{"requireKey":false}}""");

        var settings = TestStacks.Parse(config);

        Assert.All(settings.Functions, f => Assert.False(f.RequireKey));
    }
}
