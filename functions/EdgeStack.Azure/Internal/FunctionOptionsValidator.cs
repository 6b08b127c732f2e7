using EdgeStack.Contracts;
using Microsoft.Extensions.Options;

namespace EdgeStack.Azure.Internal;

/// <summary>Refuses to start a function that requires a key but has none or a short one, or has no sane body limit.</summary>
internal sealed class FunctionOptionsValidator : IValidateOptions<FunctionOptions>
{
    public const long MaxBodyLimit = 100L * 1024 * 1024;

    public ValidateOptionsResult Validate(string? name, FunctionOptions options)
    {
        var failures = new List<string>();
        if (options.RequireKey && string.IsNullOrEmpty(options.Key))
        {
            failures.Add($"{SettingNames.FunctionKey} is required while {SettingNames.FunctionRequireKey} is true (the default): set the key, or set {SettingNames.FunctionRequireKey} to false to let anyone call the function.");
        }

        // A short key can be guessed; length is checked only where a key is in use, and never echoes the key.
        if (options.RequireKey)
        {
            AddIfShort(failures, SettingNames.FunctionKey, options.Key);
            AddIfShort(failures, SettingNames.FunctionReadKey, options.ReadKey);
            if (!string.IsNullOrEmpty(options.ReadKey) && string.Equals(options.ReadKey, options.Key, StringComparison.Ordinal))
            {
                failures.Add($"{SettingNames.FunctionReadKey} must differ from {SettingNames.FunctionKey}: the key that writes must not read.");
            }
        }

        if (options.MaxBodyBytes is < 1 or > MaxBodyLimit)
        {
            failures.Add($"{SettingNames.FunctionMaxBodyBytes} must be between 1 and {MaxBodyLimit}; it is {options.MaxBodyBytes}.");
        }

        if (options.MaxConcurrentBodyRequests is < 1 or > 10_000)
        {
            failures.Add($"{SettingNames.FunctionMaxConcurrentBodyRequests} must be between 1 and 10000; it is {options.MaxConcurrentBodyRequests}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void AddIfShort(List<string> failures, string setting, string? key)
    {
        if (!string.IsNullOrEmpty(key) && key.Length < FunctionOptions.MinKeyLength)
        {
            failures.Add($"{setting} must be at least {FunctionOptions.MinKeyLength} characters; it has {key.Length}. Use a random key, such as 24 random bytes in base64url.");
        }
    }
}
