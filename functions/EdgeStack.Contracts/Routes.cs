namespace EdgeStack.Contracts;

/// <summary>The routes and ports the platform relies on.</summary>
public static class Routes
{
    /// <summary>Liveness: 200 while the process is alive, including during drain.</summary>
    public const string Liveness = "/healthz";

    /// <summary>Readiness: 200 while the instance takes traffic, 503 from the start of shutdown.</summary>
    public const string Readiness = "/readyz";

    /// <summary>The port every app listens on inside its container.</summary>
    public const int ContainerPort = 8080;

    /// <summary>The header Supabase-style clients send the key in, besides <c>Authorization: Bearer</c>.</summary>
    public const string ApiKeyHeader = "apikey";

    /// <summary>The header Azure Functions clients send the key in; accepted like <see cref="ApiKeyHeader"/>.</summary>
    public const string FunctionsKeyHeader = "x-functions-key";

    /// <summary>The query parameter Azure Functions also takes a key from; EdgeStack refuses it (a key in a URL ends up in logs and histories).</summary>
    public const string FunctionsKeyQueryParameter = "code";
}
