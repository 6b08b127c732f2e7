namespace EdgeStack.Blueprint;

/// <summary>The stack config keys EdgeStack reads, without the <c>edgestack:</c> project prefix.</summary>
public static class StackConfigKeys
{
    /// <summary>The Azure region.</summary>
    public const string Location = "location";

    /// <summary>The Log Analytics retention in days.</summary>
    public const string AnalyticsRetentionDays = "analyticsRetentionDays";

    /// <summary>The address space of the virtual network the Container Apps environment runs in (IPv4 CIDR).</summary>
    public const string VirtualNetworkAddressSpace = "virtualNetworkAddressSpace";

    /// <summary>The prefix of the environment's subnet, inside the address space (IPv4 CIDR, /27 or larger).</summary>
    public const string EnvironmentSubnetPrefix = "environmentSubnetPrefix";

    /// <summary>The build stage's base image pinned by digest (<c>name@sha256:…</c>); unset, the Dockerfile's tag.</summary>
    public const string BuildImage = "buildImage";

    /// <summary>The final stage's base image pinned by digest (<c>name@sha256:…</c>); unset, the Dockerfile's tag.</summary>
    public const string RuntimeImage = "runtimeImage";

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

    /// <summary>The per-function setting for a scheduled function's replica timeout: the seconds a run may take.</summary>
    public const string ReplicaTimeoutSeconds = "replicaTimeoutSeconds";

    /// <summary>The per-function setting for how often a failed run of a scheduled function is retried.</summary>
    public const string ReplicaRetryLimit = "replicaRetryLimit";

    /// <summary>The plain (non-secret) top-level keys, which the Pulumi program reads and hands to the parser.</summary>
    public static IReadOnlyList<string> Plain { get; } = [Location, AnalyticsRetentionDays, VirtualNetworkAddressSpace, EnvironmentSubnetPrefix, BuildImage, RuntimeImage, Functions];

    /// <summary>Every per-function setting name.</summary>
    public static IReadOnlyList<string> FunctionSettings { get; } =
        [Cpu, Memory, MinReplicas, MaxReplicas, TerminationGracePeriodSeconds, TaskTimeoutSeconds, ExternalIngress, RequireKey, ReplicaTimeoutSeconds, ReplicaRetryLimit];

    /// <summary>The settings only a scheduled function (a Container Apps Job) has.</summary>
    public static IReadOnlyList<string> ScheduledOnlySettings { get; } = [ReplicaTimeoutSeconds, ReplicaRetryLimit];

    /// <summary>The settings of a Container App that a scheduled function (a job: no replicas to scale, no ingress, no callers) does not have.</summary>
    public static IReadOnlyList<string> NotScheduledSettings { get; } = [MinReplicas, MaxReplicas, ExternalIngress, RequireKey];

    /// <summary>Whether a per-function setting applies to a function of this kind.</summary>
    /// <param name="setting">A setting such as <see cref="Cpu"/>.</param>
    /// <param name="kind">The function's kind.</param>
    /// <returns>True when the stack may set it for such a function.</returns>
    public static bool Applies(string setting, FunctionKind kind) => kind switch
    {
        FunctionKind.Scheduled => !NotScheduledSettings.Contains(setting),
        FunctionKind.Http => !ScheduledOnlySettings.Contains(setting),
        _ => !ScheduledOnlySettings.Contains(setting) && setting != ExternalIngress,
    };

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

    /// <summary>Every secret key a stack of these functions may have: one optional key override per function that has callers (not a scheduled one), and the sink's read key.</summary>
    /// <param name="functions">The discovered functions.</param>
    /// <returns>For example <c>helloKey</c>, <c>uploadKey</c>, <c>analyticsReadKey</c>.</returns>
    public static IReadOnlyList<string> Secrets(IEnumerable<FunctionDeclaration> functions) =>
        [.. functions.Where(f => f.Kind != FunctionKind.Scheduled).SelectMany(f => f.Analytics == AnalyticsRole.Sink ? [FunctionKey(f.Name), FunctionReadKey(f.Name)] : new[] { FunctionKey(f.Name) })];

    /// <summary>The path of a per-function setting as <c>pulumi config set --path</c> takes it.</summary>
    /// <param name="functionName">A function name.</param>
    /// <param name="setting">A setting such as <see cref="Cpu"/>.</param>
    /// <returns>For example <c>functions.hello.cpu</c>.</returns>
    public static string FunctionPath(string functionName, string setting) => $"{Functions}.{functionName}.{setting}";
}
