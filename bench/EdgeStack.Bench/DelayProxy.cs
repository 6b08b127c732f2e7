using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace EdgeStack.Bench;

/// <summary>
/// A YARP forwarder in front of the storage emulator that holds every request and every response for <see cref="OneWay"/>:
/// the network round trip a store in the cloud costs and loopback does not, so batching is measured as production sees it.
/// </summary>
internal sealed class DelayProxy : IAsyncDisposable
{
    /// <summary>The injected latency each way (request and response): 2 ms, a round trip of 4 ms plus the timer's granularity.</summary>
    public static readonly TimeSpan OneWay = TimeSpan.FromMilliseconds(2);

    private readonly WebApplication _app;
    private readonly HttpMessageInvoker _client;

    private DelayProxy(WebApplication app, HttpMessageInvoker client, int port)
    {
        _app = app;
        _client = client;
        Port = port;
    }

    public int Port { get; }

    public static async Task<DelayProxy> StartAsync(int targetPort)
    {
        var port = AppProcess.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}"));
        builder.Services.AddHttpForwarder();
        var app = builder.Build();
        var client = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ActivityHeadersPropagator = null,
            MaxConnectionsPerServer = int.MaxValue,
        });
        var destination = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{targetPort}/");
        var transformer = new DelayTransformer();
        app.Map("/{**path}", async (HttpContext context, IHttpForwarder forwarder) =>
        {
            var error = await forwarder.SendAsync(context, destination, client, ForwarderRequestConfig.Empty, transformer);
            if (error != ForwarderError.None)
            {
                Console.Error.WriteLine($"  [delay proxy] {context.Request.Method} {context.Request.Path}: {error}");
            }
        });
        await app.StartAsync();
        return new DelayProxy(app, client, port);
    }

    /// <summary>Measures a round trip (an unauthenticated <c>GET</c> the emulator answers at once) direct and through the proxy.</summary>
    /// <returns>The median round trip of each, in milliseconds.</returns>
    public async Task<(double Direct, double Proxied)> MeasureRoundTripAsync(int targetPort, int samples)
    {
        using var http = new HttpClient();
        List<double> direct = [], proxied = [];
        for (var i = 0; i < samples; i++)
        {
            direct.Add(await TimeAsync(http, targetPort));
            proxied.Add(await TimeAsync(http, Port));
        }

        return (Stats.Of(direct).Median, Stats.Of(proxied).Median);

        static async Task<double> TimeAsync(HttpClient http, int port)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await http.GetAsync(new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/devstoreaccount1/Tables")));
            return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _client.Dispose();
    }

    /// <summary>YARP's default transforms, each direction held for <see cref="OneWay"/> first.</summary>
    private sealed class DelayTransformer : HttpTransformer
    {
        public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
        {
            await Task.Delay(OneWay, cancellationToken);
            await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        }

        public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
        {
            await Task.Delay(OneWay, cancellationToken);
            return await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        }
    }
}
