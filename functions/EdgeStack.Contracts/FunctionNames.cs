namespace EdgeStack.Contracts;

/// <summary>The function apps EdgeStack ships, each its own process and container image.</summary>
public static class FunctionNames
{
    /// <summary>GET / answers "Hello World" and tracks an analytics event in the background.</summary>
    public const string Hello = "hello";

    /// <summary>POST a JSON document; it is stored in the uploads container in the background.</summary>
    public const string Upload = "upload";

    /// <summary>The analytics sink: POST /events into the analytics table.</summary>
    public const string Analytics = "analytics";

    /// <summary>The queue consumer for long jobs and handed-off durable work.</summary>
    public const string Worker = "worker";

    /// <summary>Every function, in deployment order (the sink first, so others can point at it).</summary>
    public static IReadOnlyList<string> All { get; } = [Analytics, Worker, Hello, Upload];
}
