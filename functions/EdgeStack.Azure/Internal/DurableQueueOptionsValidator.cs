using EdgeStack.Contracts;
using Microsoft.Extensions.Options;

namespace EdgeStack.Azure.Internal;

/// <summary>Checks the ranges of the durable queue's settings.</summary>
internal sealed class DurableQueueOptionsValidator : IValidateOptions<DurableQueueOptions>
{
    public ValidateOptionsResult Validate(string? name, DurableQueueOptions options)
    {
        var failures = new List<string>();
        if (options.MaxDequeueCount is < 1 or > 100)
        {
            failures.Add($"{SettingNames.JobsMaxDequeueCount} must be between 1 and 100; it is {options.MaxDequeueCount}.");
        }

        if (!(options.RetryBaseDelaySeconds >= 0) || !(options.MaxRetryDelaySeconds >= options.RetryBaseDelaySeconds) || options.MaxRetryDelaySeconds > TimeSpan.FromDays(7).TotalSeconds)
        {
            failures.Add($"{SettingNames.JobsRetryBaseDelaySeconds} ({options.RetryBaseDelaySeconds}) must be 0 or more and at most {SettingNames.JobsSection}:MaxRetryDelaySeconds ({options.MaxRetryDelaySeconds}), itself at most 7 days.");
        }

        if (options.InlinePayloadLimitBytes is < 1 or > DurableQueueOptions.MaxInlinePayloadBytes)
        {
            failures.Add($"{SettingNames.JobsSection}:InlinePayloadLimitBytes must be between 1 and {DurableQueueOptions.MaxInlinePayloadBytes}; it is {options.InlinePayloadLimitBytes}.");
        }

        if (options.MaxConcurrency is < 1 or > 1024)
        {
            failures.Add($"{SettingNames.JobsMaxConcurrency} must be between 1 and 1024; it is {options.MaxConcurrency}.");
        }

        if (options.MaxInFlightPayloadBytes is < DurableQueueOptions.MaxInlinePayloadBytes or > DurableQueueOptions.MaxInFlightPayloadLimit)
        {
            failures.Add($"{SettingNames.JobsMaxInFlightPayloadBytes} must be between {DurableQueueOptions.MaxInlinePayloadBytes} (one inline payload) and {DurableQueueOptions.MaxInFlightPayloadLimit}; it is {options.MaxInFlightPayloadBytes}.");
        }

        if (options.MaxPollIntervalMilliseconds is < 10 or > 60_000)
        {
            failures.Add($"{SettingNames.JobsMaxPollIntervalMilliseconds} must be between 10 and 60000; it is {options.MaxPollIntervalMilliseconds}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
