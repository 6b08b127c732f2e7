using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using EdgeStack.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeStack.Azure.Tests;

/// <summary>What every function app shares, on a real Kestrel app: the body limit, the body concurrency limit and problem+json answers.</summary>
public sealed class EdgeStackFunctionExtensionsTests : IAsyncLifetime, IDisposable
{
    private const string Key = "function-key-0123456789abcdef01234567";
    private const int MaxBodyBytes = 1024;
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);
    private readonly TaskCompletionSource _holding = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _pings;
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration[SettingNames.FunctionKey] = Key;
        builder.Configuration[SettingNames.FunctionMaxBodyBytes] = MaxBodyBytes.ToString(CultureInfo.InvariantCulture);
        builder.Configuration[SettingNames.FunctionMaxConcurrentBodyRequests] = "1";
        builder.Logging.ClearProviders();
        builder.AddEdgeStackFunction();
        _app = builder.Build();
        _app.UseEdgeStackFunction();
        _app.MapGet("/ping", () =>
        {
            Interlocked.Increment(ref _pings);
            return "pong";
        });
        _app.MapPost("/hold", async () =>
        {
            _holding.TrySetResult();
            await _release.Task;
            return "released";
        });
        _app.MapPost("/echo", async (HttpRequest request) =>
        {
            // Read by the endpoint's own code, not JsonRequestBody: only Kestrel's limit stands in the way.
            using var reader = new StreamReader(request.Body);
            return (await reader.ReadToEndAsync()).Length.ToString(CultureInfo.InvariantCulture);
        });
        _app.MapGet("/throw", string () => throw new InvalidOperationException("handler bug"));
        await _app.StartAsync();
        _client = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
    }

    public async Task DisposeAsync()
    {
        _release.TrySetResult();
        await _app.DisposeAsync();
    }

    public void Dispose() => _client.Dispose();

    public static TheoryData<string, HttpStatusCode> WhilePermitTaken => new()
    {
        { "a body with Content-Length", HttpStatusCode.ServiceUnavailable },
        { "a chunked body", HttpStatusCode.ServiceUnavailable },
        { "no body", HttpStatusCode.OK },
        { "an empty body (Content-Length: 0)", HttpStatusCode.OK },
    };

    [Theory]
    [MemberData(nameof(WhilePermitTaken))]
    public async Task BodyConcurrencyLimit_WhileTheOnlyPermitIsTaken_RefusesRequestsWithABodyOnly(string request, HttpStatusCode expected)
    {
        // A request without a body comes first, so the limiter meets that kind before the kind it limits.
        using var before = await _client.GetAsync(new Uri("/ping", UriKind.Relative));
        var held = _client.PostAsync(new Uri("/hold", UriKind.Relative), new StringContent("held"));
        await _holding.Task.WaitAsync(s_timeout);

        using var response = await SendAsync(request);
        _release.SetResult();
        using var released = await held.WaitAsync(s_timeout);

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, released.StatusCode);
        if (expected == HttpStatusCode.ServiceUnavailable)
        {
            Assert.Equal(TimeSpan.FromSeconds(EdgeStackFunctionExtensions.BusyRetryAfterSeconds), response.Headers.RetryAfter?.Delta);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task BodyConcurrencyLimit_PermitGivenBack_NextBodyIsServed()
    {
        var held = _client.PostAsync(new Uri("/hold", UriKind.Relative), new StringContent("held"));
        await _holding.Task.WaitAsync(s_timeout);
        _release.SetResult();
        using var released = await held.WaitAsync(s_timeout);

        using var next = await _client.PostAsync(new Uri("/echo", UriKind.Relative), new StringContent("next"));

        Assert.Equal((HttpStatusCode.OK, "4"), (next.StatusCode, await next.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task BodyLimit_DeclaredBodyOfExactlyTheLimit_IsServed()
    {
        using var response = await _client.PostAsync(new Uri("/echo", UriKind.Relative), new StringContent(new string('b', MaxBodyBytes)));

        Assert.Equal((HttpStatusCode.OK, MaxBodyBytes.ToString(CultureInfo.InvariantCulture)), (response.StatusCode, await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task BodyLimit_DeclaredBodyOneByteOver_Is413BeforeTheEndpointRunsAndClosesTheConnection()
    {
        // A GET never reads its body: the limit must still stop it before the endpoint does its work.
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/ping", UriKind.Relative)) { Content = new StringContent(new string('b', MaxBodyBytes + 1)) };

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.ConnectionClose);
        Assert.Equal(0, Volatile.Read(ref _pings));
    }

    [Fact]
    public async Task BodyLimit_ChunkedBodyOverTheLimitReadByTheEndpoint_Is413()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/echo", UriKind.Relative)) { Content = new StringContent(new string('c', MaxBodyBytes * 4)) };
        request.Headers.TransferEncodingChunked = true;

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("GET", "/nowhere", HttpStatusCode.NotFound)]
    [InlineData("DELETE", "/ping", HttpStatusCode.MethodNotAllowed)]
    public async Task UnroutedRequest_IsProblemJsonNamingWhatWasAskedFor(string method, string path, HttpStatusCode expected)
    {
        using var response = await _client.SendAsync(new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative)));
        var detail = await DetailAsync(response);

        Assert.Equal(expected, response.StatusCode);
        Assert.Contains(method, detail, StringComparison.Ordinal);
        Assert.Contains(path, detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EndpointThatThrows_Is500ProblemJson()
    {
        using var response = await _client.GetAsync(new Uri("/throw", UriKind.Relative));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData(SettingNames.FunctionMaxBodyBytes, "0")]
    [InlineData(SettingNames.FunctionMaxConcurrentBodyRequests, "0")]
    [InlineData(SettingNames.FunctionKey, "short")]
    public async Task AddEdgeStackFunction_SettingOutOfRange_FailsAtStartNamingIt(string setting, string value)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration[SettingNames.FunctionKey] = Key;
        builder.Configuration[setting] = value;
        builder.Logging.ClearProviders();
        builder.AddEdgeStackFunction();

        // Kestrel reads the validated settings as the app is built, before it starts.
        var exception = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = builder.Build();
            await app.StartAsync();
        });

        Assert.Contains(setting, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Extensions_NullArgument_ThrowArgumentNullExceptionNamingIt()
    {
        var calls = new (string Parameter, Action Call)[]
        {
            ("builder", () => EdgeStackFunctionExtensions.AddEdgeStackFunction(null!)),
            ("app", () => EdgeStackFunctionExtensions.UseEdgeStackFunction(null!)),
            ("app", () => EdgeStackFunctionExtensions.UseFunctionKey(null!)),
            ("builder", () => EdgeStackFunctionExtensions.RequireReadKey<RouteHandlerBuilder>(null!)),
        };

        Assert.All(calls, c => Assert.Equal(c.Parameter, Assert.Throws<ArgumentNullException>(c.Call).ParamName));
    }

    private Task<HttpResponseMessage> SendAsync(string request)
    {
        var message = new HttpRequestMessage(request == "no body" ? HttpMethod.Get : HttpMethod.Post, new Uri(request == "no body" ? "/ping" : "/echo", UriKind.Relative));
        switch (request)
        {
            case "a body with Content-Length":
                message.Content = new StringContent("body");
                break;
            case "a chunked body":
                message.Content = new StringContent("body");
                message.Headers.TransferEncodingChunked = true;
                break;
            case "an empty body (Content-Length: 0)":
                message.Content = new ByteArrayContent([]);
                message.Content.Headers.ContentLength = 0;
                break;
        }

        return _client.SendAsync(message);
    }

    private static async Task<string> DetailAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return problem.RootElement.GetProperty("detail").GetString()!;
    }
}
