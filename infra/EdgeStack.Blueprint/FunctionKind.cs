namespace EdgeStack.Blueprint;

/// <summary>How a function is reached and therefore how it scales.</summary>
public enum FunctionKind
{
    /// <summary>Serves HTTP through the Container Apps ingress; scales on concurrent requests.</summary>
    Http = 1,

    /// <summary>Has no ingress; consumes the jobs queue and scales on its length.</summary>
    QueueWorker = 2,
}
