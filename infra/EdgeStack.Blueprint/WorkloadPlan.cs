namespace EdgeStack.Blueprint;

/// <summary>What a function's Container App (<see cref="AppPlan"/>) and Container Apps Job (<see cref="JobPlan"/>) are made of alike.</summary>
public abstract record WorkloadPlan
{
    /// <summary>The function's name.</summary>
    public required string FunctionName { get; init; }

    /// <summary>The Pulumi logical name of the app or job.</summary>
    public required string LogicalName { get; init; }

    /// <summary>The image it runs: every function's is built from the one Dockerfile.</summary>
    public required ImagePlan Image { get; init; }

    /// <summary>Its own user-assigned identity.</summary>
    public required IdentityPlan Identity { get; init; }

    /// <summary>The identity's roles: AcrPull and the data roles its declaration asks for, each on that one resource, and nothing more.</summary>
    public required IReadOnlyList<RoleAssignmentPlan> Roles { get; init; }

    /// <summary>The container's environment, in order.</summary>
    public required IReadOnlyList<EnvVarPlan> Env { get; init; }

    /// <summary>Its secrets, referenced by <see cref="EnvValueSource.SecretRef"/> variables.</summary>
    public required IReadOnlyList<SecretPlan> Secrets { get; init; }

    /// <summary>CPU cores per replica.</summary>
    public required double Cpu { get; init; }

    /// <summary>Memory per replica, such as <c>0.5Gi</c>.</summary>
    public required string Memory { get; init; }

    /// <summary>Seconds between SIGTERM and SIGKILL the runtime plans with (<c>EdgeRuntime__TerminationGracePeriodSeconds</c>).</summary>
    public required int TerminationGracePeriodSeconds { get; init; }

    /// <summary>The value of a literal environment variable.</summary>
    /// <param name="name">The variable name.</param>
    /// <returns>Its value, or null when there is no such literal variable.</returns>
    public string? LiteralEnv(string name) =>
        Env.FirstOrDefault(e => e.Source == EnvValueSource.Literal && string.Equals(e.Name, name, StringComparison.Ordinal))?.Value;
}
