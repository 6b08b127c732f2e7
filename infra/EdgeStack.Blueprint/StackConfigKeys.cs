namespace EdgeStack.Blueprint;

/// <summary>The stack config keys EdgeStack reads, without the <c>edgestack:</c> project prefix.</summary>
public static class StackConfigKeys
{
    /// <summary>The Azure region.</summary>
    public const string Location = "location";

    /// <summary>The Log Analytics retention in days.</summary>
    public const string AnalyticsRetentionDays = "analyticsRetentionDays";

    /// <summary>An object with one object per function (<c>functions.hello.cpu</c> and so on).</summary>
    public const string Functions = "functions";

    /// <summary>The per-function setting for CPU cores.</summary>
    public const string Cpu = "cpu";

    /// <summary>The per-function setting for memory.</summary>
    public const string Memory = "memory";

    /// <summary>The per-function setting for the fewest replicas.</summary>
    public const string MinReplicas = "minReplicas";

    /// <summary>The per-function setting for the most replicas.</summary>
    public const string MaxReplicas = "maxReplicas";

    /// <summary>The per-function setting for the grace period.</summary>
    public const string TerminationGracePeriodSeconds = "terminationGracePeriodSeconds";

    /// <summary>The per-function setting for the background task timeout.</summary>
    public const string TaskTimeoutSeconds = "taskTimeoutSeconds";

    /// <summary>The per-function setting for public ingress.</summary>
    public const string ExternalIngress = "externalIngress";

    /// <summary>The per-function setting for key protection.</summary>
    public const string RequireKey = "requireKey";

    /// <summary>The plain (non-secret) top-level keys, which the Pulumi program reads and hands to the parser.</summary>
    public static IReadOnlyList<string> Plain { get; } = [Location, AnalyticsRetentionDays, Functions];

    /// <summary>Every per-function setting name.</summary>
    public static IReadOnlyList<string> FunctionSettings { get; } =
        [Cpu, Memory, MinReplicas, MaxReplicas, TerminationGracePeriodSeconds, TaskTimeoutSeconds, ExternalIngress, RequireKey];

    /// <summary>The secret key that overrides a function's generated key (rotation), set with <c>pulumi config set --secret</c>.</summary>
    /// <param name="functionName">A function name such as <c>hello</c>.</param>
    /// <returns>The config key, such as <c>helloKey</c>.</returns>
    public static string FunctionKey(string functionName)
    {
        ArgumentException.ThrowIfNullOrEmpty(functionName);
        return functionName + "Key";
    }

    /// <summary>The secret key that overrides the analytics sink's generated read key.</summary>
    /// <param name="functionName">The sink's name such as <c>analytics</c>.</param>
    /// <returns>The config key, such as <c>analyticsReadKey</c>.</returns>
    public static string FunctionReadKey(string functionName)
    {
        ArgumentException.ThrowIfNullOrEmpty(functionName);
        return functionName + "ReadKey";
    }

    /// <summary>The config key overriding one of a function's keys.</summary>
    /// <param name="functionName">The function.</param>
    /// <param name="use">Which key.</param>
    /// <returns>The config key.</returns>
    public static string Key(string functionName, FunctionKeyUse use) =>
        use == FunctionKeyUse.Read ? FunctionReadKey(functionName) : FunctionKey(functionName);

    /// <summary>Every secret key a stack of these functions may have: one optional key override per function, and the sink's read key.</summary>
    /// <param name="functions">The discovered functions.</param>
    /// <returns>For example <c>helloKey</c>, <c>uploadKey</c>, <c>analyticsReadKey</c>.</returns>
    public static IReadOnlyList<string> Secrets(IEnumerable<FunctionDeclaration> functions) =>
        [.. functions.SelectMany(f => f.Analytics == AnalyticsRole.Sink ? [FunctionKey(f.Name), FunctionReadKey(f.Name)] : new[] { FunctionKey(f.Name) })];

    /// <summary>The path of a per-function setting as <c>pulumi config set --path</c> takes it.</summary>
    /// <param name="functionName">A function name.</param>
    /// <param name="setting">A setting such as <see cref="Cpu"/>.</param>
    /// <returns>For example <c>functions.hello.cpu</c>.</returns>
    public static string FunctionPath(string functionName, string setting) => $"{Functions}.{functionName}.{setting}";
}
