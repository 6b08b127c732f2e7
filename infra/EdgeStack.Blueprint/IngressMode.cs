namespace EdgeStack.Blueprint;

/// <summary>Whether and where an app is reachable over HTTP.</summary>
public enum IngressMode
{
    /// <summary>No ingress: the app is reached by nothing (the worker).</summary>
    None = 0,

    /// <summary>Reachable only from inside the Container Apps environment.</summary>
    Internal = 1,

    /// <summary>Reachable from the internet over HTTPS.</summary>
    External = 2,
}
