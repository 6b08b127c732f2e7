using System.Globalization;
using System.Text.Json;

namespace EdgeStack.Blueprint;

/// <summary>Reads and validates one function's settings object, adding a message per bad value.</summary>
internal sealed class FunctionSettingsReader(FunctionDeclaration declaration, JsonElement? settings, List<string> errors)
{
    /// <summary>The CPU and memory pairs Azure Container Apps accepts on the consumption plan.</summary>
    private static readonly IReadOnlyDictionary<double, double> MemoryGiByCpu = new Dictionary<double, double>
    {
        [0.25] = 0.5, [0.5] = 1.0, [0.75] = 1.5, [1.0] = 2.0, [1.25] = 2.5, [1.5] = 3.0, [1.75] = 3.5, [2.0] = 4.0,
    };

    public FunctionSettings Read()
    {
        if (settings is { } element)
        {
            foreach (var property in element.EnumerateObject().Where(p => !StackConfigKeys.FunctionSettings.Contains(p.Name)))
            {
                errors.Add($"{Path(property.Name)}: not a function setting; expected one of {string.Join(", ", StackConfigKeys.FunctionSettings)}.");
            }

            ReportSettingsOfOtherKinds(element);
        }

        var cpu = ReadCpu();
        var memory = ReadMemory(cpu);
        var minReplicas = ReadInt(StackConfigKeys.MinReplicas, FunctionSettings.DefaultMinReplicas, 0, StackSettingsParser.MaxReplicaLimit);
        var maxReplicas = ReadInt(StackConfigKeys.MaxReplicas, FunctionSettings.DefaultMaxReplicas, 1, StackSettingsParser.MaxReplicaLimit);
        if (minReplicas > maxReplicas)
        {
            errors.Add($"{Path(StackConfigKeys.MinReplicas)}: {minReplicas} is more than {Path(StackConfigKeys.MaxReplicas)} ({maxReplicas}).");
        }

        var grace = ReadInt(
            StackConfigKeys.TerminationGracePeriodSeconds,
            FunctionSettings.DefaultTerminationGracePeriodSeconds,
            StackSettingsParser.MinTerminationGracePeriodSeconds,
            StackSettingsParser.MaxTerminationGracePeriodSeconds);
        var taskTimeout = ReadInt(StackConfigKeys.TaskTimeoutSeconds, FunctionSettings.DefaultTaskTimeoutSeconds, 1, StackSettingsParser.MaxTaskTimeoutSeconds);

        var external = declaration.DefaultIngress == IngressMode.External;
        if (TryGet(StackConfigKeys.ExternalIngress, out var externalValue))
        {
            if (declaration.Kind != FunctionKind.Http || declaration.DefaultIngress == IngressMode.None)
            {
                errors.Add($"{Path(StackConfigKeys.ExternalIngress)}: the {declaration.Name} function is not an HTTP function with ingress; remove the setting.");
            }
            else if (TryReadBool(externalValue, out var parsed))
            {
                external = parsed;
            }
            else
            {
                errors.Add($"{Path(StackConfigKeys.ExternalIngress)}: '{Text(externalValue)}' is not true or false.");
            }
        }

        var requireKey = declaration.RequireKey;
        if (TryGet(StackConfigKeys.RequireKey, out var requireKeyValue))
        {
            if (TryReadBool(requireKeyValue, out var parsed))
            {
                requireKey = parsed;
            }
            else
            {
                errors.Add($"{Path(StackConfigKeys.RequireKey)}: '{Text(requireKeyValue)}' is not true or false.");
            }
        }

        var (replicaTimeout, replicaRetryLimit) = ReadJobSettings(grace);
        if (declaration.Kind == FunctionKind.Scheduled)
        {
            // A job has no callers: no key.
            requireKey = false;
        }

        return new FunctionSettings
        {
            ReplicaTimeoutSeconds = replicaTimeout,
            ReplicaRetryLimit = replicaRetryLimit,
            Declaration = declaration,
            Cpu = cpu,
            Memory = memory,
            MinReplicas = minReplicas,
            MaxReplicas = maxReplicas,
            TerminationGracePeriodSeconds = grace,
            TaskTimeoutSeconds = taskTimeout,
            ExternalIngress = external,
            RequireKey = requireKey,
        };
    }

    /// <summary>A setting of another kind of function is refused by name (a job has no replicas to scale; an app has no replica timeout).</summary>
    private void ReportSettingsOfOtherKinds(JsonElement element)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (declaration.Kind == FunctionKind.Scheduled && StackConfigKeys.NotScheduledSettings.Contains(property.Name))
            {
                errors.Add($"{Path(property.Name)}: the {declaration.Name} function is scheduled (a Container Apps Job: no replicas to scale, no ingress, no callers); remove the setting.");
            }
            else if (declaration.Kind != FunctionKind.Scheduled && StackConfigKeys.ScheduledOnlySettings.Contains(property.Name))
            {
                errors.Add($"{Path(property.Name)}: only a scheduled function has this setting, and the {declaration.Name} function is not scheduled; remove it.");
            }
        }
    }

    /// <summary>The replica timeout and retry limit of a scheduled function's job; the timeout must leave the grace period for wall_clock's drain.</summary>
    private (int ReplicaTimeout, int RetryLimit) ReadJobSettings(int grace)
    {
        var timeout = ReadInt(StackConfigKeys.ReplicaTimeoutSeconds, FunctionSettings.DefaultReplicaTimeoutSeconds, StackSettingsParser.MinTerminationGracePeriodSeconds + 1, FunctionSettings.MaxReplicaTimeoutSeconds);
        var retries = ReadInt(StackConfigKeys.ReplicaRetryLimit, FunctionSettings.DefaultReplicaRetryLimit, 0, FunctionSettings.MaxReplicaRetryLimit);
        if (declaration.Kind == FunctionKind.Scheduled && grace > JobPlan.PlatformGracePeriodSeconds)
        {
            errors.Add($"{Path(StackConfigKeys.TerminationGracePeriodSeconds)}: {grace} is more than {JobPlan.PlatformGracePeriodSeconds}: a Container Apps Job cannot set its grace period and gets the platform's {JobPlan.PlatformGracePeriodSeconds} s, so the runtime must not plan with more.");
        }

        if (declaration.Kind == FunctionKind.Scheduled && timeout <= grace)
        {
            errors.Add($"{Path(StackConfigKeys.ReplicaTimeoutSeconds)}: {timeout} must be more than {Path(StackConfigKeys.TerminationGracePeriodSeconds)} ({grace}): the run gets wall_clock a grace period before the timeout.");
        }

        return (timeout, retries);
    }

    private double ReadCpu()
    {
        if (!TryGet(StackConfigKeys.Cpu, out var value))
        {
            return FunctionSettings.DefaultCpu;
        }

        if (TryReadDouble(value, out var cpu) && MemoryGiByCpu.ContainsKey(cpu))
        {
            return cpu;
        }

        errors.Add($"{Path(StackConfigKeys.Cpu)}: '{Text(value)}' is not a Container Apps CPU size; use one of {string.Join(", ", MemoryGiByCpu.Keys.Select(Format))}.");
        return FunctionSettings.DefaultCpu;
    }

    private string ReadMemory(double cpu)
    {
        var expected = Format(MemoryGiByCpu.GetValueOrDefault(cpu, 0.5)) + "Gi";
        if (!TryGet(StackConfigKeys.Memory, out var value))
        {
            // Memory follows the CPU unless it is set: the platform only accepts the pair.
            return expected;
        }

        var text = Text(value);
        if (text.EndsWith("Gi", StringComparison.Ordinal)
            && double.TryParse(text[..^2], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var gi)
            && MemoryGiByCpu.TryGetValue(cpu, out var pair)
            && gi == pair)
        {
            return text;
        }

        errors.Add($"{Path(StackConfigKeys.Memory)}: '{text}' does not pair with {Format(cpu)} CPU; Container Apps requires '{expected}'.");
        return expected;
    }

    private int ReadInt(string setting, int defaultValue, int min, int max)
    {
        if (!TryGet(setting, out var value))
        {
            return defaultValue;
        }

        if (TryReadInt(value, out var parsed) && parsed >= min && parsed <= max)
        {
            return parsed;
        }

        errors.Add($"{Path(setting)}: '{Text(value)}' is not a whole number from {min} to {max}.");
        return defaultValue;
    }

    private bool TryGet(string setting, out JsonElement value)
    {
        if (settings is { } element && element.TryGetProperty(setting, out value))
        {
            return true;
        }

        value = default;
        return false;
    }

    private string Path(string setting) => StackConfigKeys.FunctionPath(declaration.Name, setting);

    private static bool TryReadDouble(JsonElement value, out double result)
    {
        result = 0;
        return value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetDouble(out result),
            JsonValueKind.String => double.TryParse(value.GetString(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out result),
            _ => false,
        };
    }

    private static bool TryReadInt(JsonElement value, out int result)
    {
        result = 0;
        return value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetInt32(out result),
            JsonValueKind.String => int.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out result),
            _ => false,
        };
    }

    private static bool TryReadBool(JsonElement value, out bool result)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.True:
                result = true;
                return true;
            case JsonValueKind.False:
                result = false;
                return true;
            case JsonValueKind.String when value.GetString() is "true" or "false":
                result = value.GetString() == "true";
                return true;
            default:
                result = false;
                return false;
        }
    }

    private static string Text(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString() ?? string.Empty : value.GetRawText();

    private static string Format(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
