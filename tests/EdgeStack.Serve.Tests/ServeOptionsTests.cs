namespace EdgeStack.Serve.Tests;

public sealed class ServeOptionsTests
{
    private static readonly string Root = EdgeStack.Testing.TestPaths.RepositoryRoot;

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

    [Fact]
    public void Parse_UnknownOption_FailsNamingIt()
    {
        var error = Assert.Throws<ArgumentException>(() => ServeOptions.Parse(["--verbose"], Root));

        Assert.Contains("'--verbose'", error.Message, StringComparison.Ordinal);
    }
}
