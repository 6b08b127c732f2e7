namespace EdgeStack.Blueprint;

/// <summary>An HTTP GET probe on the container's port.</summary>
/// <param name="Kind">Liveness or readiness.</param>
/// <param name="Path">The path probed.</param>
/// <param name="Port">The container port probed.</param>
/// <param name="PeriodSeconds">Seconds between probes.</param>
/// <param name="FailureThreshold">Failures in a row before the probe counts as failed.</param>
/// <param name="TimeoutSeconds">Seconds one probe may take.</param>
public sealed record ProbePlan(ProbeKind Kind, string Path, int Port, int PeriodSeconds, int FailureThreshold, int TimeoutSeconds);
