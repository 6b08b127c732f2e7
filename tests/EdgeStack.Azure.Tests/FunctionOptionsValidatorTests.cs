using EdgeStack.Azure.Internal;
using EdgeStack.Contracts;

namespace EdgeStack.Azure.Tests;

public sealed class FunctionOptionsValidatorTests
{
    private const string ValidKey = "key-0123456789abcdef0123456789abcd";
    private const string ValidReadKey = "read-0123456789abcdef0123456789abc";

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
        var result = _validator.Validate(null, new FunctionOptions { Key = ValidKey, MaxBodyBytes = 0 });

        Assert.True(result.Failed);
        Assert.StartsWith(SettingNames.FunctionMaxBodyBytes, result.Failures!.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ThirtyTwoCharacterKeys_Succeed()
    {
        var result = _validator.Validate(null, new FunctionOptions { Key = ValidKey[..FunctionOptions.MinKeyLength], ReadKey = ValidReadKey[..FunctionOptions.MinKeyLength] });

        Assert.True(result.Succeeded);
    }

    [Fact]
    public void Validate_ShortKey_NamesFunctionKeyWithoutEchoingIt()
    {
        var result = _validator.Validate(null, new FunctionOptions { Key = "secret-but-short-0123456789abcd" });

        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith(SettingNames.FunctionKey + " must be at least 32 characters", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-but-short", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ShortReadKey_NamesFunctionReadKey()
    {
        var result = _validator.Validate(null, new FunctionOptions { Key = ValidKey, ReadKey = "short" });

        Assert.StartsWith(SettingNames.FunctionReadKey + " must be at least 32 characters", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ReadKeySameAsKey_IsRefused()
    {
        var result = _validator.Validate(null, new FunctionOptions { Key = ValidKey, ReadKey = ValidKey });

        Assert.StartsWith(SettingNames.FunctionReadKey + " must differ from " + SettingNames.FunctionKey, Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ShortKeyNotRequired_Succeeds()
    {
        var result = _validator.Validate(null, new FunctionOptions { Key = "short", RequireKey = false });

        Assert.True(result.Succeeded);
    }

    [Fact]
    public void Validate_ZeroConcurrentBodyRequests_NamesTheSetting()
    {
        var result = _validator.Validate(null, new FunctionOptions { Key = ValidKey, MaxConcurrentBodyRequests = 0 });

        Assert.True(result.Failed);
        Assert.StartsWith(SettingNames.FunctionMaxConcurrentBodyRequests, result.Failures!.Single(), StringComparison.Ordinal);
    }
}
