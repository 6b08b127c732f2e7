using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace EdgeStack.Bench;

/// <summary>
/// An in-process stand-in for the analytics sink that accepts every batch (<c>200</c>) and stores nothing: the memory row
/// runs <c>hello</c> with its analytics client really sending, without Azurite and the sink in the measurement.
/// </summary>
internal sealed class StandInSink : IAsyncDisposable
{
    public const string Key = "bench-standin-sink-key-0123456789abcdef";

    private readonly WebApplication _app;
    private readonly StrongBox<long> _batches;

    private StandInSink(WebApplication app, Uri url, StrongBox<long> batches)
    {
        _app = app;
        Url = url;
        _batches = batches;
    }

    /// <summary>Gets the sink's base address (the client posts to <c>{Url}/events</c>).</summary>
    public Uri Url { get; }

    /// <summary>Gets how many batches the sink accepted.</summary>
    public long Batches => Interlocked.Read(ref _batches.Value);

    public static async Task<StandInSink> StartAsync()
    {
        var port = AppProcess.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}"));
        var app = builder.Build();
        var batches = new StrongBox<long>();

        // The sink's route (functions/analytics EventsEndpoints.Route), which the client appends to its endpoint.
        app.MapPost("/events", async (HttpRequest request) =>
        {
            await request.Body.CopyToAsync(Stream.Null);
            Interlocked.Increment(ref batches.Value);
            return Results.Ok();
        });
        await app.StartAsync();
        return new StandInSink(app, new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/")), batches);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
