using System.Diagnostics;
using EdgeStack.Azure;

namespace EdgeStack.Functions.Hello;

/// <summary>GET / → "Hello World", tracking the request in the background.</summary>
internal static class HelloEndpoints
{
    public const string EventName = "request";

    public static IEndpointRouteBuilder MapHello(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", (HttpRequest request, IAnalytics analytics) =>
        {
            // Track only buffers; the event's timestamp is taken now, the send happens after the response. The trace id
            // (from the caller's traceparent, or a new one) ties the event to the request's logs and traces.
            var properties = new Dictionary<string, string>
            {
                ["path"] = request.Path.Value ?? "/",
                ["method"] = request.Method,
            };
            if (Activity.Current is { } activity)
            {
                properties["traceId"] = activity.TraceId.ToHexString();
            }

            analytics.Track(EventName, properties);
            return Results.Text("Hello World");
        });
        return endpoints;
    }
}
