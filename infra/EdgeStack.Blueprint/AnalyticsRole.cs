namespace EdgeStack.Blueprint;

/// <summary>A function's part in analytics, declared as <c>analytics</c> in its <c>edgestack.json</c>.</summary>
public enum AnalyticsRole
{
    /// <summary><c>none</c>: the function sends no analytics events.</summary>
    None = 0,

    /// <summary><c>client</c>: the function sends events to the sink, so it gets the sink's URL and key.</summary>
    Client = 1,

    /// <summary><c>sink</c>: the function receives the events; a stack has at most one.</summary>
    Sink = 2,
}
