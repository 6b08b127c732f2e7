using System.Net;
using System.Text;
using EdgeStack.Testing;

namespace EdgeStack.Serve.Tests;

/// <summary>The gateway in a real serve process, in front of a stand-in function that echoes what reaches it.</summary>
public sealed class GatewayTests : IAsyncLifetime, IDisposable
{
    private readonly ScratchRepository _repository = new();
    private FunctionProcess? _serve;
    private string _gateway = string.Empty;

    public async Task InitializeAsync()
    {
        _repository.AddFunction("echo");
        _serve = await _repository.StartServeAsync();
        _gateway = ServeProcessTests.GatewayUrl(_repository);
    }

    [Fact]
    public async Task Proxy_PostWithPathAndQuery_RemovesThePrefixAndPassesBodyHeadersAndStatusThrough()
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, _gateway + "/functions/v1/echo/a/b?x=1")
        {
            Content = new StringContent(new string('z', 200_000), Encoding.UTF8, "text/plain"),
        };
        request.Headers.Add("X-Echo-Status", "418");

        using var response = await http.SendAsync(request);

        Assert.Equal((HttpStatusCode)418, response.StatusCode);
        Assert.Equal("echo", Assert.Single(response.Headers.GetValues("X-Served-By")));
        Assert.Equal("echo POST /a/b?x=1 " + new string('z', 200_000), await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Proxy_FunctionRootWithoutSlash_ReachesItsRoot()
    {
        using var http = new HttpClient();

        var answer = await http.GetStringAsync(new Uri(_gateway + "/functions/v1/echo"));

        Assert.Equal("echo GET / ", answer);
    }

    [Fact]
    public async Task Proxy_UnknownFunction_Is404ProblemNamingTheServedOnes()
    {
        using var http = new HttpClient();

        using var response = await http.GetAsync(new Uri(_gateway + "/functions/v1/nope/"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("/functions/v1/echo", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    public async Task DisposeAsync()
    {
        if (_serve is not null)
        {
            _serve.Signal(FunctionProcess.SigTerm);
            await _serve.WaitForExitAsync(TimeSpan.FromSeconds(60));
            await _serve.DisposeAsync();
        }
    }

    public void Dispose() => _repository.Dispose();
}
