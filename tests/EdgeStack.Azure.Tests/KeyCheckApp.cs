using System.Diagnostics.Metrics;
using EdgeStack.Azure.Internal;
using EdgeStack.Contracts;
using EdgeStack.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;

namespace EdgeStack.Azure.Tests;

/// <summary>
/// The real Kestrel app the key-check tests call: the function wiring with its key (and read key), <c>/write/…</c>,
/// <c>/read</c> (read key required) and <c>/probe</c> (anonymous), its logs collected from debug up.
/// </summary>
internal static class KeyCheckApp
{
    public const string Key = "write-key-0123456789abcdef0123456789";
    public const string ReadKey = "read-key-0123456789abcdef01234567890";

    public static async Task<WebApplication> StartAsync(string? readKey, bool requireKey = true)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration[SettingNames.FunctionKey] = Key;
        builder.Configuration[SettingNames.FunctionReadKey] = readKey;
        builder.Configuration[SettingNames.FunctionRequireKey] = requireKey ? "true" : "false";
        builder.Logging.ClearProviders().AddFakeLogging().SetMinimumLevel(LogLevel.Debug);
        builder.AddEdgeStackFunction();
        var app = builder.Build();
        app.UseEdgeStackFunction();
        app.MapGet("/write/{*rest}", () => "written");
        app.MapGet("/read", () => "read").RequireReadKey();
        app.MapGet("/probe", () => "alive").WithMetadata(new AllowAnonymousProbeAttribute());
        await app.StartAsync();
        return app;
    }

    /// <summary>Collects the refused-request counter of <paramref name="app"/>.</summary>
    public static MetricCollector<long> CollectRefusals(WebApplication app) =>
        new(app.Services.GetRequiredService<IMeterFactory>(), AnalyticsClient.MeterName, FunctionKeyMiddleware.UnauthorizedMetric);
}
