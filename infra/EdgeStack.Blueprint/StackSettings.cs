namespace EdgeStack.Blueprint;

/// <summary>The validated settings of one stack, read from its <c>Pulumi.&lt;stack&gt;.yaml</c>.</summary>
/// <remarks>Produce it with <see cref="StackSettingsParser.Parse"/>; the defaults are documented in <c>docs/deploy.md</c>.</remarks>
public sealed record StackSettings
{
    /// <summary>The default Azure region.</summary>
    public const string DefaultLocation = "westeurope";

    /// <summary>The default Log Analytics retention in days.</summary>
    public const int DefaultAnalyticsRetentionDays = 30;

    /// <summary>The Azure region every resource is created in.</summary>
    public string Location { get; init; } = DefaultLocation;

    /// <summary>Days the Log Analytics workspace keeps platform logs (30 to 730).</summary>
    public int AnalyticsRetentionDays { get; init; } = DefaultAnalyticsRetentionDays;

    /// <summary>The address space of the environment's virtual network (see <see cref="EnvironmentNetwork"/>).</summary>
    public string VirtualNetworkAddressSpace { get; init; } = EnvironmentNetwork.DefaultAddressSpace;

    /// <summary>The environment subnet's prefix, inside <see cref="VirtualNetworkAddressSpace"/>.</summary>
    public string EnvironmentSubnetPrefix { get; init; } = EnvironmentNetwork.DefaultSubnetPrefix;

    /// <summary>The build stage's base image, pinned by digest; null for the Dockerfile's default tag.</summary>
    public string? BuildImage { get; init; }

    /// <summary>The final stage's base image, pinned by digest; null for the Dockerfile's default tag.</summary>
    public string? RuntimeImage { get; init; }

    /// <summary>The settings of every discovered function, ordered by name.</summary>
    public required IReadOnlyList<FunctionSettings> Functions { get; init; }

    /// <summary>The settings of one function.</summary>
    /// <param name="name">A function name.</param>
    /// <returns>Its settings.</returns>
    public FunctionSettings For(string name) =>
        Functions.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.Ordinal))
        ?? throw new ArgumentOutOfRangeException(nameof(name), name, "No such function in the stack settings.");
}
