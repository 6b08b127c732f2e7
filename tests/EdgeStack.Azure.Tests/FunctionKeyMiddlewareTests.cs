using System.Net;
using System.Net.Sockets;
using System.Text;
using EdgeStack.Azure.Internal;
using EdgeStack.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;

namespace EdgeStack.Azure.Tests;

/// <summary>The key check on a real Kestrel app: who gets through, what is logged and counted for those who do not.</summary>
public sealed class FunctionKeyMiddlewareTests : IAsyncLifetime
{
    private const string Key = KeyCheckApp.Key;
    private const string ReadKey = KeyCheckApp.ReadKey;

    private WebApplication _app = null!;
    private WebApplication _appWithoutReadKey = null!;

    public async Task InitializeAsync()
    {
        _app = await KeyCheckApp.StartAsync(ReadKey);
        _appWithoutReadKey = await KeyCheckApp.StartAsync(readKey: null);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _appWithoutReadKey.DisposeAsync();
    }

    [Fact]
    public async Task Refused_HostilePath_IsLoggedAtDebugWithoutThePathAndCounted()
    {
        using var unauthorized = Collect(_app);
        // Percent-encoded on the wire, decoded into the path: an escape sequence and a forged log line, as an attacker would send them.
        var marker = "INJECTED" + Guid.NewGuid().ToString("N");
        var status = await SendRawAsync(_app, $"GET /write/%1b%5b31m{marker}%0d%0a%7b%22EventId%22:1%7d{marker} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        Assert.Equal(401, status);
        var rejected = _app.Services.GetFakeLogCollector().GetSnapshot().Where(r => r.Id.Id == 113).ToList();
        var record = Assert.Single(rejected);
        Assert.Equal(LogLevel.Debug, record.Level);
        Assert.DoesNotContain(marker, record.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(rejected, r => r.StructuredState!.Any(s => s.Value?.Contains(marker, StringComparison.Ordinal) == true));
        Assert.Equal([("missing", 1L)], unauthorized.GetMeasurementSnapshot().Select(m => ((string)m.Tags[FunctionKeyMiddleware.ReasonTag]!, m.Value)));
    }

    [Fact]
    public async Task Refused_WrongKey_IsCountedAsInvalid()
    {
        using var unauthorized = Collect(_app);
        using var client = Client(_app);

        using var response = await SendAsync(client, "/write", "not-the-key-" + new string('x', 32));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal([("invalid", 1L)], unauthorized.GetMeasurementSnapshot().Select(m => ((string)m.Tags[FunctionKeyMiddleware.ReasonTag]!, m.Value)));
    }

    [Theory]
    [InlineData(Key + "x")]
    [InlineData("write-key-0123456789abcdef012345678")]
    [InlineData("write-key-0123456789abcdef0123456788")]
    [InlineData("Write-key-0123456789abcdef0123456789")]
    public async Task Refused_KeyDifferingInOneCharacterOrItsLength(string presented)
    {
        // The key with one more character, one fewer, its last or first character changed: each refused, and the key
        // itself accepted by the same app.
        using var client = Client(_app);

        using var refused = await SendAsync(client, "/write", presented);
        using var accepted = await SendAsync(client, "/write", Key);

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.OK), (refused.StatusCode, accepted.StatusCode));
    }

    [Theory]
    [InlineData("/write", Key, HttpStatusCode.OK)]
    [InlineData("/write", ReadKey, HttpStatusCode.Unauthorized)]
    [InlineData("/read", ReadKey, HttpStatusCode.OK)]
    [InlineData("/read", Key, HttpStatusCode.Forbidden)]
    [InlineData("/read", "not-the-key-0123456789abcdef0123456789", HttpStatusCode.Unauthorized)]
    [InlineData("/read", null, HttpStatusCode.Unauthorized)]
    public async Task ReadEndpoint_TakesTheReadKeyOnly(string path, string? key, HttpStatusCode expected)
    {
        using var client = Client(_app);

        using var response = await SendAsync(client, path, key);

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task ReadEndpoint_WriteKeyRefused_NamesTheReadKeySetting()
    {
        using var client = Client(_app);

        using var response = await SendAsync(client, "/read", Key);

        Assert.Contains(SettingNames.FunctionReadKey, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadEndpoint_NoReadKeySet_RefusesEveryCallerNamingTheSetting()
    {
        using var client = Client(_appWithoutReadKey);

        using var response = await SendAsync(client, "/read", Key);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains(SettingNames.FunctionReadKey + " is not set", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static HttpClient Client(WebApplication app) => new() { BaseAddress = new Uri(app.Urls.First()) };

    private static MetricCollector<long> Collect(WebApplication app) => KeyCheckApp.CollectRefusals(app);

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string path, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (key is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        }

        return client.SendAsync(request);
    }

    private static async Task<int> SendRawAsync(WebApplication app, string request)
    {
        var uri = new Uri(app.Urls.First());
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, uri.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.Latin1);
        var statusLine = await reader.ReadLineAsync() ?? "";
        return int.Parse(statusLine.AsSpan(9, 3), System.Globalization.CultureInfo.InvariantCulture);
    }
}
