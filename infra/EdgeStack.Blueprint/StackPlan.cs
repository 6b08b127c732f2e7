namespace EdgeStack.Blueprint;

/// <summary>What one stack deploys, decided in plain C# so it can be tested without Pulumi.</summary>
public sealed record StackPlan
{
    /// <summary>The default blob and container soft delete retention, in days.</summary>
    public const int DefaultSoftDeleteRetentionDays = 7;

    /// <summary>The subscription, project and stack the plan is for.</summary>
    public required StackIdentity Identity { get; init; }

    /// <summary>The Azure region of every resource.</summary>
    public required string Location { get; init; }

    /// <summary>The Azure names of the shared resources.</summary>
    public required ResourceNames Names { get; init; }

    /// <summary>The environment's virtual network and the storage firewall rule that admits its subnet.</summary>
    public required NetworkPlan Network { get; init; }

    /// <summary>Days the Log Analytics workspace keeps logs.</summary>
    public required int AnalyticsRetentionDays { get; init; }

    /// <summary>Days a deleted blob or container can be restored (blob soft delete).</summary>
    public int SoftDeleteRetentionDays { get; init; } = DefaultSoftDeleteRetentionDays;

    /// <summary>One app per function, the ones others call first.</summary>
    public required IReadOnlyList<AppPlan> Apps { get; init; }

    /// <summary>One Container Apps Job per scheduled function, by name.</summary>
    public IReadOnlyList<JobPlan> Jobs { get; init; } = [];

    /// <summary>Gets every role assignment of every app's identity.</summary>
    public IEnumerable<RoleAssignmentPlan> RoleAssignments => Apps.SelectMany(a => a.Roles).Concat(Jobs.SelectMany(j => j.Roles));

    /// <summary>The key of every function that requires one, by function name order.</summary>
    public required IReadOnlyList<FunctionKeyPlan> FunctionKeys { get; init; }

    /// <summary>The private blob containers the functions declare, by name.</summary>
    public required IReadOnlyList<string> Containers { get; init; }

    /// <summary>The queues: those the functions declare and each durable function's work and poison queues.</summary>
    public required IReadOnlyList<string> Queues { get; init; }

    /// <summary>The tables the functions declare.</summary>
    public required IReadOnlyList<string> Tables { get; init; }

    /// <summary>The app of one function.</summary>
    /// <param name="functionName">A function name.</param>
    /// <returns>Its plan.</returns>
    public AppPlan App(string functionName) =>
        Apps.FirstOrDefault(a => string.Equals(a.FunctionName, functionName, StringComparison.Ordinal))
        ?? throw new ArgumentOutOfRangeException(nameof(functionName), functionName, "No such function in the plan.");

    /// <summary>The job of one scheduled function.</summary>
    /// <param name="functionName">A scheduled function's name.</param>
    /// <returns>Its plan.</returns>
    public JobPlan Job(string functionName) =>
        Jobs.FirstOrDefault(j => string.Equals(j.FunctionName, functionName, StringComparison.Ordinal))
        ?? throw new ArgumentOutOfRangeException(nameof(functionName), functionName, "No such scheduled function in the plan.");
}
