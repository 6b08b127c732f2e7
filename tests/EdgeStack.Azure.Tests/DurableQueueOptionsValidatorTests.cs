using EdgeStack.Azure.Internal;
using EdgeStack.Contracts;

namespace EdgeStack.Azure.Tests;

public sealed class DurableQueueOptionsValidatorTests
{
    private readonly DurableQueueOptionsValidator _validator = new();

    [Fact]
    public void Validate_Defaults_Succeed()
    {
        Assert.True(_validator.Validate(null, new DurableQueueOptions()).Succeeded);
    }

    // Each documented range at both ends: the end itself is accepted, one step past it is refused naming the setting.
    [Theory]
    [InlineData(nameof(DurableQueueOptions.MaxDequeueCount), SettingNames.JobsMaxDequeueCount, 1, 100)]
    [InlineData(nameof(DurableQueueOptions.InlinePayloadLimitBytes), SettingNames.JobsSection + ":InlinePayloadLimitBytes", 1, DurableQueueOptions.MaxInlinePayloadBytes)]
    [InlineData(nameof(DurableQueueOptions.MaxConcurrency), SettingNames.JobsMaxConcurrency, 1, 1024)]
    [InlineData(nameof(DurableQueueOptions.MaxPollIntervalMilliseconds), SettingNames.JobsMaxPollIntervalMilliseconds, 10, 60_000)]
    public void Validate_RangeEnds_AcceptedAndOneStepPastRefusedNamingTheSetting(string property, string setting, int min, int max)
    {
        Assert.True(_validator.Validate(null, With(property, min)).Succeeded);
        Assert.True(_validator.Validate(null, With(property, max)).Succeeded);
        Assert.StartsWith(setting + " must be between", Assert.Single(_validator.Validate(null, With(property, min - 1)).Failures!), StringComparison.Ordinal);
        Assert.StartsWith(setting + " must be between", Assert.Single(_validator.Validate(null, With(property, max + 1)).Failures!), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 0, true)]
    [InlineData(2, 2, true)]
    [InlineData(2, 604_800, true)]
    [InlineData(-0.5, 10, false)]
    [InlineData(double.NaN, 10, false)]
    [InlineData(5, 4, false)]
    [InlineData(2, 604_801, false)]
    public void Validate_RetryDelays_BaseAtLeastZeroAtMostTheMaximumItselfAtMostSevenDays(double baseSeconds, double maxSeconds, bool valid)
    {
        var result = _validator.Validate(null, new DurableQueueOptions { RetryBaseDelaySeconds = baseSeconds, MaxRetryDelaySeconds = maxSeconds });

        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.StartsWith(SettingNames.JobsRetryBaseDelaySeconds, Assert.Single(result.Failures!), StringComparison.Ordinal);
        }
    }

    private static DurableQueueOptions With(string property, int value)
    {
        var options = new DurableQueueOptions();
        typeof(DurableQueueOptions).GetProperty(property)!.SetValue(options, value);
        return options;
    }
}
