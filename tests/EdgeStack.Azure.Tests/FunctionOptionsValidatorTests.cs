using EdgeStack.Azure.Internal;
using EdgeStack.Contracts;

namespace EdgeStack.Azure.Tests;

public sealed class FunctionOptionsValidatorTests
{
    private readonly FunctionOptionsValidator _validator = new();

    [Fact]
    public void Validate_KeyRequiredButMissing_NamesFunctionKey()
    {
        var result = _validator.Validate(null, new FunctionOptions());

        Assert.True(result.Failed);
        Assert.StartsWith(SettingNames.FunctionKey, result.Failures!.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_KeyNotRequired_Succeeds()
    {
        var result = _validator.Validate(null, new FunctionOptions { RequireKey = false });

        Assert.True(result.Succeeded);
    }

    [Fact]
    public void Validate_ZeroBodyLimit_NamesMaxBodyBytes()
    {
        var result = _validator.Validate(null, new FunctionOptions { Key = "k", MaxBodyBytes = 0 });

        Assert.True(result.Failed);
        Assert.StartsWith(SettingNames.FunctionMaxBodyBytes, result.Failures!.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ZeroConcurrentBodyRequests_NamesTheSetting()
    {
        var result = _validator.Validate(null, new FunctionOptions { Key = "k", MaxConcurrentBodyRequests = 0 });

        Assert.True(result.Failed);
        Assert.StartsWith(SettingNames.FunctionMaxConcurrentBodyRequests, result.Failures!.Single(), StringComparison.Ordinal);
    }
}
