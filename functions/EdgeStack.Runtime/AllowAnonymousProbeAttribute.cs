namespace EdgeStack.Runtime;

/// <summary>Marks an endpoint the platform calls without a key: the probes.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false)]
public sealed class AllowAnonymousProbeAttribute : Attribute;
