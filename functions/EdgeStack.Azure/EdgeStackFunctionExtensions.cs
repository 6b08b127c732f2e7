using System.Globalization;
using System.Threading.RateLimiting;
using EdgeStack.Azure.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EdgeStack.Azure;

/// <summary>What every EdgeStack function app shares: the key check, problem+json answers, the body limit and the body concurrency limit.</summary>
public static class EdgeStackFunctionExtensions
{
    /// <summary>The <c>Retry-After</c> a request refused by the body concurrency limit carries, in seconds.</summary>
    public const int BusyRetryAfterSeconds = 1;

    /// <summary>Binds and validates the <c>Function</c> settings (a key is required by default), sets the body limit and adds problem+json.</summary>
    /// <param name="builder">The app's builder.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IHostApplicationBuilder AddEdgeStackFunction(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<FunctionOptions>().BindConfiguration(FunctionOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FunctionOptions>, FunctionOptionsValidator>());

        // Kestrel enforces the limit too, for bodies read by anything but JsonRequestBody.
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<FunctionOptions>>((kestrel, function) => kestrel.Limits.MaxRequestBodySize = function.Value.MaxBodyBytes);

        // Requests that carry a body share one concurrency limit, without a queue: a burst beyond it is refused before any
        // body is read (503 + Retry-After), instead of buffering every body at once.
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<FunctionOptions>>((limiter, function) =>
        {
            var permits = function.Value.MaxConcurrentBodyRequests;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, bool>(context => HasBody(context.Request)
                ? RateLimitPartition.GetConcurrencyLimiter(true, _ => new ConcurrencyLimiterOptions { PermitLimit = permits, QueueLimit = 0 })
                : RateLimitPartition.GetNoLimiter(false));
            limiter.OnRejected = (context, _) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = BusyRetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                return new ValueTask(FunctionProblems.Busy(permits).ExecuteAsync(context.HttpContext));
            };
        });
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            // Empty 404/405 answers come from routing (no route, or a route without that method): say what was asked for.
            var http = context.HttpContext;
            context.ProblemDetails.Detail ??= context.ProblemDetails.Status switch
            {
                StatusCodes.Status404NotFound => $"No route matches {http.Request.Method} {http.Request.Path}.",
                StatusCodes.Status405MethodNotAllowed => $"{http.Request.Path} does not accept {http.Request.Method}.",
                _ => null,
            };
        });
        return builder;
    }

    /// <summary>Adds the shared middleware: problem+json for exceptions and empty error answers (unknown routes), then the key check.</summary>
    /// <param name="app">The app.</param>
    /// <returns>The app, for chaining.</returns>
    public static IApplicationBuilder UseEdgeStackFunction(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = exception => exception is Microsoft.AspNetCore.Http.BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        });
        app.UseStatusCodePages();

        // A declared body over the limit is refused before any endpoint runs, even one that never reads the body (a GET):
        // otherwise the endpoint's work happens and the answer is lost when Kestrel gives up on the oversized body.
        var maxBodyBytes = app.ApplicationServices.GetRequiredService<IOptions<FunctionOptions>>().Value.MaxBodyBytes;
        app.Use((context, next) =>
        {
            if (context.Request.ContentLength > maxBodyBytes)
            {
                context.Response.Headers.Connection = "close";
                return FunctionProblems.PayloadTooLarge(maxBodyBytes).ExecuteAsync(context);
            }

            return next(context);
        });
        // After the key check: a caller without the key never takes one of the body permits.
        return app.UseFunctionKey().UseRateLimiter();
    }

    /// <summary>Makes the endpoints take the function's read key (<see cref="FunctionOptions.ReadKey"/>) instead of its key: for endpoints that read what callers wrote.</summary>
    /// <typeparam name="TBuilder">The endpoint convention builder.</typeparam>
    /// <param name="builder">The endpoints.</param>
    /// <returns>The builder, for chaining.</returns>
    public static TBuilder RequireReadKey<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Add(endpoint => endpoint.Metadata.Add(ReadKeyRequiredMetadata.Instance));
        return builder;
    }

    /// <summary>Requires the function's key on every endpoint but the probes (see <see cref="FunctionOptions"/>).</summary>
    /// <param name="app">The app.</param>
    /// <returns>The app, for chaining.</returns>
    public static IApplicationBuilder UseFunctionKey(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.UseMiddleware<FunctionKeyMiddleware>();
    }

    private static bool HasBody(HttpRequest request) => request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0;
}
