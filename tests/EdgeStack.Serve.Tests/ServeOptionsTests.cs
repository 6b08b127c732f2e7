using EdgeStack.Testing;

namespace EdgeStack.Serve.Tests;

public sealed class ServeOptionsTests
{
    private static readonly string Root = TestPaths.RepositoryRoot;

    [Fact]
    public void Parse_NoArguments_UsesDefaults()
    {
        var options = ServeOptions.Parse([], Root);

        Assert.Equal(7400, options.PortBase);
        Assert.Equal(10000, options.AzuritePortBase);
        Assert.Equal(Path.Combine(Root, ".edgestack"), options.StateDirectory);
        Assert.Equal(30, options.GracePeriodSeconds);
        Assert.False(options.Watch);
    }

    [Fact]
    public void Parse_WatchAndGracePeriod_AreTaken()
    {
        var options = ServeOptions.Parse(["--watch", "--grace-period", "12"], Root);

        Assert.True(options.Watch);
        Assert.Equal(12, options.GracePeriodSeconds);
    }

    [Fact]
    public void Parse_EveryOption_IsTaken()
    {
        var options = ServeOptions.Parse(["--port-base", "7900", "--azurite-port-base=11000", "--state-dir", "state", "--configuration", "Debug"], Path.Combine(Root, "docs"));

        Assert.Equal(7900, options.PortBase);
        Assert.Equal(11000, options.AzuritePortBase);
        Assert.Equal(Path.Combine(Root, "docs", "state"), options.StateDirectory);
        Assert.Equal("Debug", options.Configuration);
        Assert.Equal(Root, options.RepositoryRoot);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("--port-base", "7900", "-h")]
    public void IsHelp_HelpAnywhere_IsTrue(params string[] args)
    {
        Assert.True(ServeOptions.IsHelp(args));
    }

    [Theory]
    [InlineData("--port-base", "80")]
    [InlineData("--port-base", "seventy")]
    [InlineData("--azurite-port-base", "65534")]
    [InlineData("--grace-period", "0")]
    [InlineData("--grace-period", "601")]
    public void Parse_BadPort_FailsNamingTheOption(string option, string value)
    {
        var error = Assert.Throws<ArgumentException>(() => ServeOptions.Parse([option, value], Root));

        Assert.StartsWith(option, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--port-base", "80", "--port-base must be a port between 1024 and 65436; it is '80'.")]
    [InlineData("--azurite-port-base", "65534", "--azurite-port-base must be a port between 1024 and 65533; it is '65534'.")]
    [InlineData("--grace-period", "7.5", "--grace-period must be a number of seconds between 1 and 600; it is '7.5'.")]
    [InlineData("--state-dir", "", "--state-dir needs a PATH; it is empty.")]
    public void Parse_BadValue_SaysWhatTheOptionTakes(string option, string value, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => ServeOptions.Parse([option, value], Root));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--port-base")]
    [InlineData("--state-dir")]
    [InlineData("--configuration")]
    public void Parse_MissingValue_FailsNamingTheOption(string option)
    {
        var error = Assert.Throws<ArgumentException>(() => ServeOptions.Parse(["--watch", option], Root));

        Assert.Contains($"'{option}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ExtraArgument_FailsNamingIt()
    {
        var error = Assert.Throws<ArgumentException>(() => ServeOptions.Parse(["--watch", "hello"], Root));

        Assert.Contains("'hello'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Usage_ListsEveryOptionWithItsDefault()
    {
        var usage = ServeOptions.Usage;

        Assert.Contains("./edgestack serve [options]", usage, StringComparison.Ordinal);
        Assert.Matches(@"(?s)--port-base <N> .*?\[default: 7400\]", usage);
        Assert.Matches(@"(?s)--azurite-port-base <N> .*?\[default: 10000\]", usage);
        Assert.Matches(@"(?s)--grace-period <N> .*?\[default: 30\]", usage);
        Assert.Matches(@"(?s)--configuration <NAME> .*?\[default: Release\]", usage);
        Assert.Contains("--state-dir <PATH>", usage, StringComparison.Ordinal);
        Assert.Contains("--watch", usage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_Help_PrintsTheUsageAndExitsZeroWhateverElseIsGiven()
    {
        var (code, stdout, stderr) = await ServeAsync("--port-base", "80", "--help");

        Assert.Equal(0, code);
        Assert.Contains("./edgestack serve [options]", stdout, StringComparison.Ordinal);
        Assert.Contains("--grace-period <N>", stdout, StringComparison.Ordinal);
        Assert.Empty(stderr);
    }

    [Fact]
    public async Task Serve_BadCommandLine_SaysWhyOnStandardErrorAndExitsTwo()
    {
        var (code, stdout, stderr) = await ServeAsync("--grace-period", "forever");

        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.StartsWith("serve: --grace-period must be a number of seconds between 1 and 600; it is 'forever'.", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownOption_FailsNamingIt()
    {
        var error = Assert.Throws<ArgumentException>(() => ServeOptions.Parse(["--verbose"], Root));

        Assert.Contains("'--verbose'", error.Message, StringComparison.Ordinal);
    }

    private static Task<ProcessResult> ServeAsync(params string[] arguments) =>
        ProcessRun.RunAsync("dotnet", [TestPaths.AppAssembly("EdgeStack.Serve"), .. arguments], Root);
}
