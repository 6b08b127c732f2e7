using System.Globalization;
using System.Text.Json;

namespace EdgeStack.Blueprint;

/// <summary>Turns a stack's config, as Pulumi hands it over, into validated <see cref="StackSettings"/>.</summary>
/// <remarks>
/// Keys come without the <c>edgestack:</c> prefix. Plain values are strings; <c>functions</c> is the JSON text
/// of an object of objects, whose leaves may be JSON numbers and booleans or their text. Every problem is
/// collected, and one <see cref="InvalidOperationException"/> lists them all, each naming its key.
/// </remarks>
public static class StackSettingsParser
{
    /// <summary>The shortest grace period: the runtime needs room for its shutdown timeout and drain budget below it.</summary>
    public const int MinTerminationGracePeriodSeconds = 5;

    /// <summary>The longest grace period Azure Container Apps accepts.</summary>
    public const int MaxTerminationGracePeriodSeconds = 600;

    /// <summary>The longest background task timeout the stack accepts.</summary>
    public const int MaxTaskTimeoutSeconds = 3600;

    /// <summary>The most replicas a Container App may have.</summary>
    public const int MaxReplicaLimit = 1000;

    /// <summary>The shortest Log Analytics retention for the pay-as-you-go tier.</summary>
    public const int MinAnalyticsRetentionDays = 30;

    /// <summary>The longest Log Analytics retention.</summary>
    public const int MaxAnalyticsRetentionDays = 730;

    /// <summary>Parses and validates a stack's config.</summary>
    /// <param name="config">The plain config values by key, without the project prefix.</param>
    /// <param name="secretsSet">The secret config keys that have a value (their values never reach the plan).</param>
    /// <param name="functions">The functions discovered in the repository (<see cref="FunctionManifest.Discover"/>).</param>
    /// <returns>The settings, every unset value at its default.</returns>
    /// <exception cref="InvalidOperationException">A value is bad or a required secret is missing; the message lists every problem.</exception>
    public static StackSettings Parse(IReadOnlyDictionary<string, string> config, IReadOnlySet<string> secretsSet, IReadOnlyList<FunctionDeclaration> functions)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(secretsSet);
        ArgumentNullException.ThrowIfNull(functions);

        var errors = new List<string>();
        var secrets = StackConfigKeys.Secrets(functions);
        foreach (var key in config.Keys.Where(k => !StackConfigKeys.Plain.Contains(k) && !secrets.Contains(k)))
        {
            errors.Add($"{key}: not a setting EdgeStack knows; expected one of {string.Join(", ", StackConfigKeys.Plain.Concat(secrets))}.");
        }

        var location = StackSettings.DefaultLocation;
        if (config.TryGetValue(StackConfigKeys.Location, out var locationText))
        {
            if (IsAzureLocationName(locationText))
            {
                location = locationText;
            }
            else
            {
                errors.Add($"{StackConfigKeys.Location}: '{locationText}' is not an Azure region name; use its lowercase form such as 'westeurope'.");
            }
        }

        var retention = StackSettings.DefaultAnalyticsRetentionDays;
        if (config.TryGetValue(StackConfigKeys.AnalyticsRetentionDays, out var retentionText))
        {
            if (int.TryParse(retentionText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var days)
                && days is >= MinAnalyticsRetentionDays and <= MaxAnalyticsRetentionDays)
            {
                retention = days;
            }
            else
            {
                errors.Add($"{StackConfigKeys.AnalyticsRetentionDays}: '{retentionText}' is not a whole number of days from {MinAnalyticsRetentionDays} to {MaxAnalyticsRetentionDays}.");
            }
        }

        var functionSettings = ParseFunctions(config.GetValueOrDefault(StackConfigKeys.Functions), functions, errors);

        foreach (var function in functionSettings.Where(f => f.RequireKey))
        {
            var secretKey = StackConfigKeys.FunctionKey(function.Name);
            if (!secretsSet.Contains(secretKey))
            {
                errors.Add($"{secretKey}: required because {StackConfigKeys.FunctionPath(function.Name, StackConfigKeys.RequireKey)} is true; set it with `pulumi config set --secret {secretKey} <value>`.");
            }
        }

        if (errors.Count > 0)
        {
            throw new InvalidOperationException(
                "The stack configuration is invalid:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  - " + e)));
        }

        return new StackSettings { Location = location, AnalyticsRetentionDays = retention, Functions = functionSettings };
    }

    private static List<FunctionSettings> ParseFunctions(string? json, IReadOnlyList<FunctionDeclaration> functions, List<string> errors)
    {
        var objects = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (json is not null)
        {
            try
            {
                using var document = JsonDocument.Parse(json);
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    errors.Add($"{StackConfigKeys.Functions}: must be an object with one object per function.");
                }
                else
                {
                    foreach (var property in document.RootElement.EnumerateObject())
                    {
                        if (!functions.Any(f => string.Equals(f.Name, property.Name, StringComparison.Ordinal)))
                        {
                            errors.Add($"{StackConfigKeys.Functions}.{property.Name}: no such function (no {FunctionManifest.FunctionsFolder}/{property.Name}/{FunctionManifest.FileName}); the functions are {string.Join(", ", functions.Select(f => f.Name))}.");
                        }
                        else if (property.Value.ValueKind != JsonValueKind.Object)
                        {
                            errors.Add($"{StackConfigKeys.Functions}.{property.Name}: must be an object of settings.");
                        }
                        else
                        {
                            objects[property.Name] = property.Value.Clone();
                        }
                    }
                }
            }
            catch (JsonException exception)
            {
                errors.Add($"{StackConfigKeys.Functions}: not valid JSON ({exception.Message}).");
            }
        }

        var result = new List<FunctionSettings>();
        foreach (var declaration in functions)
        {
            var reader = new FunctionSettingsReader(declaration, objects.TryGetValue(declaration.Name, out var element) ? element : null, errors);
            result.Add(reader.Read());
        }

        return result;
    }

    private static bool IsAzureLocationName(string value) =>
        value.Length is >= 2 and <= 40 && char.IsAsciiLetterLower(value[0]) && value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c));
}
