namespace EdgeStack.Blueprint;

/// <summary>Everything one function's Container App is made of; the Pulumi program maps it field by field.</summary>
public sealed record AppPlan
{
    /// <summary>The function's name.</summary>
    public required string FunctionName { get; init; }

    /// <summary>The Pulumi logical name of the Container App.</summary>
    public required string LogicalName { get; init; }

    /// <summary>The Azure name of the Container App.</summary>
    public required string AppName { get; init; }

    /// <summary>The identity the app runs as.</summary>
    public required IdentityPlan Identity { get; init; }

    /// <summary>The roles of the app's identity, and nothing more.</summary>
    public required IReadOnlyList<RoleAssignmentPlan> Roles { get; init; }

    /// <summary>The image the app runs.</summary>
    public required ImagePlan Image { get; init; }

    /// <summary>The container's environment, in order.</summary>
    public required IReadOnlyList<EnvVarPlan> Env { get; init; }

    /// <summary>The app's secrets, referenced by <see cref="EnvValueSource.SecretRef"/> variables.</summary>
    public required IReadOnlyList<SecretPlan> Secrets { get; init; }

    /// <summary>The container's probes.</summary>
    public required IReadOnlyList<ProbePlan> Probes { get; init; }

    /// <summary>CPU cores per replica.</summary>
    public required double Cpu { get; init; }

    /// <summary>Memory per replica, such as <c>0.5Gi</c>.</summary>
    public required string Memory { get; init; }

    /// <summary>How the app scales.</summary>
    public required ScalePlan Scale { get; init; }

    /// <summary>Seconds between SIGTERM and SIGKILL: the template's <c>terminationGracePeriodSeconds</c>.</summary>
    public required int TerminationGracePeriodSeconds { get; init; }

    /// <summary>Whether and where the app is reachable.</summary>
    public required IngressMode Ingress { get; init; }

    /// <summary>The port the container listens on, for ingress and probes.</summary>
    public required int TargetPort { get; init; }

    /// <summary>The value of a literal environment variable.</summary>
    /// <param name="name">The variable name.</param>
    /// <returns>Its value, or null when the app has no such literal variable.</returns>
    public string? LiteralEnv(string name) =>
        Env.FirstOrDefault(e => e.Source == EnvValueSource.Literal && string.Equals(e.Name, name, StringComparison.Ordinal))?.Value;
}
