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
}
