using System.Net;
using System.Text.Json;
using EdgeStack.Azure.Internal;
using EdgeStack.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace EdgeStack.Azure.Tests;

/// <summary>Where a caller may put the function's key, and what a caller who put it elsewhere (or nowhere) is told, on a real Kestrel app.</summary>
public sealed class FunctionKeyPlacementTests : IAsyncLifetime
{
    private const string Key = KeyCheckApp.Key;
    private const string ReadKey = KeyCheckApp.ReadKey;

    private WebApplication _app = null!;
    private WebApplication _open = null!;
    private WebApplication _withoutReadKey = null!;

    public async Task InitializeAsync()
    {
        _app = await KeyCheckApp.StartAsync(ReadKey);
        _open = await KeyCheckApp.StartAsync(ReadKey, requireKey: false);
        _withoutReadKey = await KeyCheckApp.StartAsync(readKey: null);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _open.DisposeAsync();
        await _withoutReadKey.DisposeAsync();
    }

    [Theory]
    [InlineData("Authorization", "Bearer " + Key)]
    [InlineData("Authorization", "bearer  " + Key + " ")]
    [InlineData(Routes.ApiKeyHeader, Key)]
    [InlineData(Routes.FunctionsKeyHeader, Key)]
    public async Task Request_KeyInAnAcceptedPlace_IsLetThrough(string header, string value)
    {
        using var response = await SendAsync(_app, "/write", (header, value));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(Routes.ApiKeyHeader)]
    [InlineData(Routes.FunctionsKeyHeader)]
    public async Task Request_WrongKeyInAHeaderBesideTheRightBearer_IsLetThrough(string header)
    {
        using var response = await SendAsync(_app, "/write", ("Authorization", "Bearer " + Key), (header, "not-the-key"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Request_NoKey_Gets401ProblemNamingEveryPlaceAKeyGoesAndABearerChallenge()
    {
        using var response = await SendAsync(_app, "/write");

        var detail = await ProblemDetailAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains("Authorization: Bearer <key>", detail, StringComparison.Ordinal);
        Assert.Contains(Routes.ApiKeyHeader, detail, StringComparison.Ordinal);
        Assert.Contains(Routes.FunctionsKeyHeader, detail, StringComparison.Ordinal);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Request_KeyWithoutScheme_IsToldTheBearerSchemeIsMissing()
    {
        using var response = await SendAsync(_app, "/write", ("Authorization", Key));

        var detail = await ProblemDetailAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains("'Bearer' scheme is missing", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_OtherAuthorizationScheme_IsToldWhereAKeyGoes()
    {
        using var response = await SendAsync(_app, "/write", ("Authorization", "Basic " + Key));

        var detail = await ProblemDetailAsync(response, HttpStatusCode.Unauthorized);
        Assert.DoesNotContain("scheme is missing", detail, StringComparison.Ordinal);
        Assert.Contains("Authorization: Bearer <key>", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_KeyInTheQueryString_IsRefusedAndToldToUseAHeader()
    {
        using var response = await SendAsync(_app, $"/write?{Routes.FunctionsKeyQueryParameter}={Key}");

        var detail = await ProblemDetailAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains("not taken from the query string", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_WrongKey_IsToldTheKeyIsNotValid()
    {
        using var response = await SendAsync(_app, "/write", (Routes.ApiKeyHeader, "not-the-key"));

        var detail = await ProblemDetailAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains("not valid", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_NoKey_IsLetThrough()
    {
        using var response = await SendAsync(_app, "/probe");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Request_KeyNotRequired_IsLetThroughWithoutOne()
    {
        using var response = await SendAsync(_open, "/write");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(Routes.ApiKeyHeader)]
    [InlineData(Routes.FunctionsKeyHeader)]
    public async Task ReadEndpoint_ReadKeyInAHeader_IsLetThrough(string header)
    {
        using var response = await SendAsync(_app, "/read", (header, ReadKey));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ReadEndpoint_WriteKey_IsCountedAsWriteKey()
    {
        using var unauthorized = Collect(_app);

        using var response = await SendAsync(_app, "/read", (Routes.ApiKeyHeader, Key));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(["write_key"], Reasons(unauthorized));
    }

    [Fact]
    public async Task ReadEndpoint_NoReadKeySet_IsCountedAsReadOff()
    {
        using var unauthorized = Collect(_withoutReadKey);

        using var response = await SendAsync(_withoutReadKey, "/read", (Routes.FunctionsKeyHeader, Key));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(["read_off"], Reasons(unauthorized));
    }

    [Fact]
    public async Task ReadEndpoint_WrongKey_Gets401AndIsCountedAsInvalid()
    {
        using var unauthorized = Collect(_app);

        using var response = await SendAsync(_app, "/read", (Routes.ApiKeyHeader, "not-the-key"));

        Assert.Contains("not valid", await ProblemDetailAsync(response, HttpStatusCode.Unauthorized), StringComparison.Ordinal);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal(["invalid"], Reasons(unauthorized));
        Assert.Equal("{request}", unauthorized.Instrument!.Unit);
    }

    private static MetricCollector<long> Collect(WebApplication app) => KeyCheckApp.CollectRefusals(app);

    private static IEnumerable<string> Reasons(MetricCollector<long> collector) =>
        collector.GetMeasurementSnapshot().Select(m => (string)m.Tags[FunctionKeyMiddleware.ReasonTag]!);

    private static async Task<HttpResponseMessage> SendAsync(WebApplication app, string path, params (string Name, string Value)[] headers)
    {
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await client.SendAsync(request);
    }

    private static async Task<string> ProblemDetailAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return problem.RootElement.GetProperty("detail").GetString()!;
    }
}
