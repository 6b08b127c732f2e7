using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EdgeStack.Infra.Tests;

/// <summary>The exchange against a real token endpoint on 127.0.0.1, answering as a registry would, or badly.</summary>
public sealed class AcrTokenExchangeTests : IAsyncDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly List<WebApplication> servers = [];

    private readonly HttpClient http = new();

    [Fact]
    public async Task GetRefreshTokenAsync_RegistryAnswers_PostsTheAccessTokenGrantAndReturnsTheRefreshToken()
    {
        var form = new TaskCompletionSource<IFormCollection>(TaskCreationOptions.RunContinuationsAsynchronously);
        var registry = await StartAsync(async context =>
        {
            form.TrySetResult(await context.Request.ReadFormAsync());
            await context.Response.WriteAsJsonAsync(new { refresh_token = "refresh-123" });
        });

        var token = await Exchange(TimeSpan.FromSeconds(10)).GetRefreshTokenAsync(registry, "aad-token", CancellationToken.None).WaitAsync(Bound);

        var posted = await form.Task.WaitAsync(Bound);
        Assert.Equal("refresh-123", token);
        Assert.Equal(("access_token", "127.0.0.1", "aad-token"), (posted["grant_type"].ToString(), posted["service"].ToString(), posted["access_token"].ToString()));
    }

    [Fact]
    public async Task GetRefreshTokenAsync_Unauthorized_FailsNamingTheRegistryAndTheStatus()
    {
        var registry = await StartAsync(context =>
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Task.CompletedTask;
        });

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => Exchange(TimeSpan.FromSeconds(10)).GetRefreshTokenAsync(registry, "aad-token", CancellationToken.None).WaitAsync(Bound));

        Assert.Contains($"'{registry}'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("HTTP 401", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetRefreshTokenAsync_NoAnswerInTime_FailsNamingTheRegistryAndTheTimeout()
    {
        var registry = await StartAsync(context => Task.Delay(Timeout.Infinite, context.RequestAborted));

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => Exchange(TimeSpan.FromMilliseconds(300)).GetRefreshTokenAsync(registry, "aad-token", CancellationToken.None).WaitAsync(Bound));

        Assert.Contains($"'{registry}'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("did not answer within 0.3 s", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"refresh_token\":", "not JSON")]
    [InlineData("<html>busy</html>", "not JSON")]
    [InlineData("{\"access_token\":\"x\"}", "no refresh_token")]
    [InlineData("{\"refresh_token\":\"\"}", "no refresh_token")]
    public async Task GetRefreshTokenAsync_BadAnswer_FailsNamingTheRegistry(string body, string reason)
    {
        var registry = await StartAsync(context => context.Response.WriteAsync(body));

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => Exchange(TimeSpan.FromSeconds(10)).GetRefreshTokenAsync(registry, "aad-token", CancellationToken.None).WaitAsync(Bound));

        Assert.Contains($"'{registry}'", exception.Message, StringComparison.Ordinal);
        Assert.Contains(reason, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetRefreshTokenAsync_NothingListening_FailsNamingTheRegistry()
    {
        var registry = await StartAsync(_ => Task.CompletedTask);
        await servers[^1].StopAsync();

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => Exchange(TimeSpan.FromSeconds(10)).GetRefreshTokenAsync(registry, "aad-token", CancellationToken.None).WaitAsync(Bound));

        Assert.Contains($"'{registry}': it could not be reached", exception.Message, StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in servers)
        {
            await server.DisposeAsync();
        }

        http.Dispose();
    }

    private AcrTokenExchange Exchange(TimeSpan timeout) => new(http, timeout, scheme: "http");

    /// <summary>Starts a token endpoint at <c>POST /oauth2/exchange</c> on a free port of 127.0.0.1.</summary>
    /// <returns>Its <c>host:port</c>, which stands for the registry's login server.</returns>
    private async Task<string> StartAsync(RequestDelegate exchange)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapPost("/oauth2/exchange", exchange);
        servers.Add(app);
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        return $"{IPAddress.Loopback}:{address.Port}";
    }
}
