using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Transforms;

namespace EdgeStack.Serve;

/// <summary>
/// One reverse proxy (YARP) in front of every function, as Supabase's: <c>/functions/v1/&lt;name&gt;/&lt;rest&gt;</c> goes to
/// the function's own URL as <c>/&lt;rest&gt;</c>; bodies stream both ways, headers and status pass through untouched, so a
/// function's key check answers for itself.
/// </summary>
internal sealed class Gateway : IAsyncDisposable
{
    /// <summary>The path prefix of every function, as Supabase's gateway has it.</summary>
    public const string PathPrefix = "/functions/v1";

    private readonly WebApplication _app;

    private Gateway(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    /// <summary>The gateway's path of a function.</summary>
    public static string PathOf(string function) => PathPrefix + "/" + function;

    /// <summary>Starts the gateway on 127.0.0.1:<paramref name="port"/> with one route per function.</summary>
    public static async Task<Gateway> StartAsync(int port, IReadOnlyDictionary<string, Uri> functions, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, port);

            // Each function enforces its own body limit (1 MiB by default); the gateway must not answer in its place.
            kestrel.Limits.MaxRequestBodySize = null;
        });

        // Serve orders the stop: the gateway stops last, after the functions drained, not at the first Ctrl-C.
        builder.Services.AddSingleton<IHostLifetime, ServeOrderedLifetime>();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        // YARP registers Data Protection for affinity cookies, which the gateway does not use; its key-storage warning is noise here.
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);

        var routes = functions.Keys.Select(name => new RouteConfig
        {
            RouteId = name,
            ClusterId = name,
            Match = new RouteMatch { Path = PathOf(name) + "/{**rest}" },
        }.WithTransformPathRemovePrefix(PathOf(name))).ToList();
        var clusters = functions.Select(f => new ClusterConfig
        {
            ClusterId = f.Key,
            Destinations = new Dictionary<string, DestinationConfig> { [f.Key] = new() { Address = f.Value.ToString() } },
        }).ToList();
        builder.Services.AddReverseProxy().LoadFromMemory(routes, clusters);

        var app = builder.Build();
        app.MapReverseProxy();
        var known = string.Join(", ", functions.Keys.Select(PathOf));
        app.MapFallback((HttpContext context) => Results.Problem(
            statusCode: StatusCodes.Status404NotFound,
            title: "No such function",
            detail: $"The gateway serves {known}; '{context.Request.Path}' is none of them."));
        await app.StartAsync(cancellationToken);
        return new Gateway(app, new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}")));
    }

    /// <summary>Stops accepting, lets requests in flight finish within <paramref name="timeout"/>, then closes.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        await _app.StopAsync(deadline.Token);
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    /// <summary>A lifetime that leaves SIGINT and SIGTERM to serve, which stops the gateway itself when its turn comes.</summary>
    private sealed class ServeOrderedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
