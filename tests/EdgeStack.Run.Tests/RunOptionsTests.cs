using EdgeStack.Testing;

namespace EdgeStack.Run.Tests;

/// <summary><c>./edgestack run</c>'s command line: what it takes and how it refuses the rest.</summary>
public sealed class RunOptionsTests
{
    private const string Maintenance = "maintenance";
    private static readonly string Root = TestPaths.RepositoryRoot;

    [Fact]
    public void Parse_NameOnly_UsesDefaults()
    {
        var options = RunOptions.Parse([Maintenance], Root);

        Assert.Equal(Maintenance, options.Function.Name);
        Assert.Equal(10000, options.AzuritePortBase);
        Assert.Equal(Path.Combine(Root, ".edgestack"), options.StateDirectory);
        Assert.Equal("Release", options.Configuration);
        Assert.Equal("analytics", options.SinkName);
    }

    [Fact]
    public void Parse_EveryOption_IsTakenWhereverTheNameIs()
    {
        var options = RunOptions.Parse(["--azurite-port-base", "11000", Maintenance, "--state-dir", "state", "--configuration=Debug"], Path.Combine(Root, "docs"));

        Assert.Equal(Maintenance, options.Function.Name);
        Assert.Equal(11000, options.AzuritePortBase);
        Assert.Equal(Path.Combine(Root, "docs", "state"), options.StateDirectory);
        Assert.Equal("Debug", options.Configuration);
    }

    [Theory]
    [InlineData("80", "--azurite-port-base must be a port between 1024 and 65533; it is '80'.")]
    [InlineData("65534", "--azurite-port-base must be a port between 1024 and 65533; it is '65534'.")]
    [InlineData("ten", "--azurite-port-base must be a port between 1024 and 65533; it is 'ten'.")]
    [InlineData("-1", "--azurite-port-base must be a port between 1024 and 65533; it is '-1'.")]
    public void Parse_BadPort_SaysWhatTheOptionTakes(string value, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => RunOptions.Parse([Maintenance, "--azurite-port-base", value], Root));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--azurite-port-base")]
    [InlineData("--state-dir")]
    [InlineData("--configuration")]
    public void Parse_MissingValue_FailsNamingTheOption(string option)
    {
        var error = Assert.Throws<ArgumentException>(() => RunOptions.Parse([Maintenance, option], Root));

        Assert.Contains($"'{option}'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--verbose", Maintenance)]
    [InlineData(Maintenance, "--verbose")]
    [InlineData(Maintenance, "-v")]
    [InlineData("--verbose")]
    public void Parse_UnknownOption_FailsNamingItAsAnOption(params string[] args)
    {
        var option = args.Single(a => a.StartsWith('-'));

        var error = Assert.Throws<ArgumentException>(() => RunOptions.Parse(args, Root));

        Assert.Contains($"'{option}'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("No function", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SecondFunction_FailsNamingIt()
    {
        var error = Assert.Throws<ArgumentException>(() => RunOptions.Parse([Maintenance, "hello"], Root));

        Assert.Contains("'hello'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NoFunction_NamesTheScheduledOnes()
    {
        var error = Assert.Throws<ArgumentException>(() => RunOptions.Parse(["--configuration", "Debug"], Root));

        Assert.StartsWith($"Name the scheduled function to run ({Maintenance})", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData(Maintenance, "--azurite-port-base", "80", "-h")]
    public void IsHelp_HelpAnywhere_IsTrue(params string[] args)
    {
        Assert.True(RunOptions.IsHelp(args));
    }

    [Fact]
    public void IsHelp_NoHelp_IsFalse()
    {
        Assert.False(RunOptions.IsHelp([Maintenance, "--state-dir", "help"]));
    }

    [Fact]
    public void Usage_ListsTheFunctionAndEveryOptionWithItsDefault()
    {
        var usage = RunOptions.Usage;

        Assert.Contains("./edgestack run [<function>] [options]", usage, StringComparison.Ordinal);
        Assert.Matches(@"(?s)--azurite-port-base <N> .*?\[default: 10000\]", usage);
        Assert.Matches(@"(?s)--configuration <NAME> .*?\[default: Release\]", usage);
        Assert.Contains("--state-dir <PATH>", usage, StringComparison.Ordinal);
    }
}
