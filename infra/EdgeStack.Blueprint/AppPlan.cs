namespace EdgeStack.Blueprint;

/// <summary>Everything one function's Container App is made of; the Pulumi program maps it field by field.</summary>
public sealed record AppPlan : WorkloadPlan
{
    /// <summary>The Azure name of the Container App.</summary>
    public required string AppName { get; init; }

    /// <summary>The container's probes.</summary>
    public required IReadOnlyList<ProbePlan> Probes { get; init; }

    /// <summary>How the app scales.</summary>
    public required ScalePlan Scale { get; init; }

    /// <summary>Whether and where the app is reachable.</summary>
    public required IngressMode Ingress { get; init; }

    /// <summary>The port the container listens on, for ingress and probes.</summary>
    public required int TargetPort { get; init; }
}
