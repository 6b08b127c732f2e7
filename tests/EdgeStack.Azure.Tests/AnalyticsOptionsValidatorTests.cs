using EdgeStack.Azure.Internal;
using EdgeStack.Contracts;

namespace EdgeStack.Azure.Tests;

public sealed class AnalyticsOptionsValidatorTests
{
    private readonly AnalyticsOptionsValidator _validator = new();

    [Fact]
    public void Validate_ShortSinkKey_NamesAnalyticsKey()
    {
        var result = _validator.Validate(null, new AnalyticsOptions { Endpoint = "http://sink.test", Key = "sink-key" });

        Assert.StartsWith(SettingNames.AnalyticsKey + " must be at least 32 characters", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NoSinkKey_Succeeds()
    {
        var result = _validator.Validate(null, new AnalyticsOptions { Endpoint = "http://sink.test" });

        Assert.True(result.Succeeded);
    }

    [Theory]
    [InlineData("ftp://sink.test")]
    [InlineData("sink.test/events")]
    public void Validate_EndpointNotAnHttpUrl_NamesAnalyticsEndpoint(string endpoint)
    {
        var result = _validator.Validate(null, new AnalyticsOptions { Endpoint = endpoint });

        Assert.StartsWith(SettingNames.AnalyticsEndpoint + " must be an absolute http(s) URL", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://sink.test")]
    [InlineData("https://sink.test")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void Validate_HttpOrHttpsEndpointOrNone_Succeeds(string? endpoint)
    {
        var result = _validator.Validate(null, new AnalyticsOptions { Endpoint = endpoint });

        Assert.True(result.Succeeded);
    }

    [Fact]
    public void Validate_SinkKeyOfTheMinimumLength_Succeeds()
    {
        var result = _validator.Validate(null, new AnalyticsOptions { Endpoint = "http://sink.test", Key = new string('k', FunctionOptions.MinKeyLength) });

        Assert.True(result.Succeeded);
    }

    // Each documented range at both ends: the end itself is accepted, one step past it is refused naming the setting.
    [Theory]
    [InlineData("Capacity", 1, 1_000_000)]
    [InlineData("MaxBatchSize", 1, AnalyticsOptions.MaxSinkBatchSize)]
    [InlineData("LingerMilliseconds", 0, 60_000)]
    [InlineData("MaxSendAttempts", 1, 10)]
    public void Validate_RangeEnds_AcceptedAndOneStepPastRefusedNamingTheSetting(string setting, int min, int max)
    {
        Assert.True(_validator.Validate(null, With(setting, min)).Succeeded);
        Assert.True(_validator.Validate(null, With(setting, max)).Succeeded);
        Assert.StartsWith($"{SettingNames.AnalyticsSection}:{setting} must be between", Assert.Single(_validator.Validate(null, With(setting, min - 1)).Failures!), StringComparison.Ordinal);
        Assert.StartsWith($"{SettingNames.AnalyticsSection}:{setting} must be between", Assert.Single(_validator.Validate(null, With(setting, max + 1)).Failures!), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    public void Validate_DropLogIntervalNotPositive_NamesIt(double seconds)
    {
        var result = _validator.Validate(null, new AnalyticsOptions { DropLogIntervalSeconds = seconds });

        Assert.StartsWith($"{SettingNames.AnalyticsSection}:DropLogIntervalSeconds must be greater than 0", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    private static AnalyticsOptions With(string setting, int value)
    {
        var options = new AnalyticsOptions();
        typeof(AnalyticsOptions).GetProperty(setting)!.SetValue(options, value);
        return options;
    }
}
