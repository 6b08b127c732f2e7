using EdgeStack.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeStack.Runtime;

/// <summary>Maps the runtime's probe endpoints.</summary>
public static class EdgeRuntimeEndpointRouteBuilderExtensions
{
    /// <summary>Maps <c>/healthz</c> (liveness: 200 while the process lives) and <c>/readyz</c> (readiness: 503 from the start of shutdown), and attaches the static <see cref="EdgeRuntime"/> façade.</summary>
    /// <param name="endpoints">The app's endpoints.</param>
    /// <returns>The endpoints, for chaining.</returns>
    public static IEndpointRouteBuilder MapEdgeRuntime(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);

        // Resolving the runtime attaches the façade, so EdgeRuntime.WaitUntil works before Run.
        var runtime = endpoints.ServiceProvider.GetRequiredService<IEdgeRuntime>();
        endpoints.MapGet(Routes.Liveness, () => Results.Text("ok"))
            .WithMetadata(new AllowAnonymousProbeAttribute())
            .ExcludeFromDescription();
        endpoints.MapGet(Routes.Readiness, () => runtime.IsReady
                ? Results.Text("ready")
                : Results.Text("draining", statusCode: StatusCodes.Status503ServiceUnavailable))
            .WithMetadata(new AllowAnonymousProbeAttribute())
            .ExcludeFromDescription();
        return endpoints;
    }
}
