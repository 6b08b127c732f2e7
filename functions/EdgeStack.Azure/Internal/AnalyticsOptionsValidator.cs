using EdgeStack.Contracts;
using Microsoft.Extensions.Options;

namespace EdgeStack.Azure.Internal;

/// <summary>Checks the analytics settings; every message names the setting.</summary>
internal sealed class AnalyticsOptionsValidator : IValidateOptions<AnalyticsOptions>
{
    public ValidateOptionsResult Validate(string? name, AnalyticsOptions options)
    {
        var failures = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.Endpoint)
            && (!Uri.TryCreate(options.Endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            failures.Add($"{SettingNames.AnalyticsEndpoint} must be an absolute http(s) URL; it is '{options.Endpoint}'.");
        }

        // The sink refuses a key shorter than its own minimum: say so at start, not as dropped events later.
        if (!string.IsNullOrEmpty(options.Key) && options.Key.Length < FunctionOptions.MinKeyLength)
        {
            failures.Add($"{SettingNames.AnalyticsKey} must be at least {FunctionOptions.MinKeyLength} characters, as the sink's key is; it has {options.Key.Length}.");
        }

        if (options.Capacity is < 1 or > 1_000_000)
        {
            failures.Add($"{SettingNames.AnalyticsSection}:Capacity must be between 1 and 1000000; it is {options.Capacity}.");
        }

        if (options.MaxBatchSize is < 1 or > AnalyticsOptions.MaxSinkBatchSize)
        {
            failures.Add($"{SettingNames.AnalyticsSection}:MaxBatchSize must be between 1 and {AnalyticsOptions.MaxSinkBatchSize}; it is {options.MaxBatchSize}.");
        }

        if (options.LingerMilliseconds is < 0 or > 60_000)
        {
            failures.Add($"{SettingNames.AnalyticsSection}:LingerMilliseconds must be between 0 and 60000; it is {options.LingerMilliseconds}.");
        }

        if (options.MaxSendAttempts is < 1 or > 10)
        {
            failures.Add($"{SettingNames.AnalyticsSection}:MaxSendAttempts must be between 1 and 10; it is {options.MaxSendAttempts}.");
        }

        if (!(options.DropLogIntervalSeconds > 0))
        {
            failures.Add($"{SettingNames.AnalyticsSection}:DropLogIntervalSeconds must be greater than 0; it is {options.DropLogIntervalSeconds}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
