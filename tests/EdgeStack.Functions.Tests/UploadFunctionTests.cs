using System.Diagnostics;
using System.Net;
using System.Text;
using EdgeStack.Azure;
using EdgeStack.Functions.Upload;
using EdgeStack.Testing;
using Xunit.Abstractions;

namespace EdgeStack.Functions.Tests;

[Collection(StackCollection.Name)]
public sealed class UploadFunctionTests(StackFixture stack, ITestOutputHelper output)
{
    private static readonly LogEvent s_uploadAccepted = new("EdgeStack.Functions.Upload.UploadEndpoints", 200);
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Post_Document_Answers202AtOnceAndStoresTheBodyInTheBackground()
    {
        var id = "seed-" + Guid.NewGuid().ToString("N");
        var body = $$"""{"id":"{{id}}","file":"report.pdf","size":1234}""";
        var blob = stack.Uploads.GetBlobClient(UploadHandler.BlobName(id));
        var clock = Stopwatch.StartNew();

        using var response = await StackFixture.SendAsync(stack.Upload, HttpMethod.Post, "/", body);
        var answeredAfter = clock.Elapsed;
        var answer = await response.Content.ReadAsStringAsync();
        await Poll.UntilAsync(async () => (await blob.ExistsAsync()).Value, s_timeout, "the uploaded blob");
        var storedAfter = clock.Elapsed;
        await WaitForAcceptedAsync(id);

        output.WriteLine($"202 after {answeredAfter.TotalMilliseconds:0} ms; blob stored after {storedAfter.TotalMilliseconds:0} ms (processing delay {StackFixture.UploadDelayMilliseconds} ms).");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("""{"status":"processing"}""", answer);
        // Answered before the processing delay could have passed: an endpoint that waited for the store would take at least that.
        Assert.True(answeredAfter < TimeSpan.FromMilliseconds(StackFixture.UploadDelayMilliseconds), $"answered after {answeredAfter.TotalMilliseconds} ms");
        Assert.Equal(body, (await blob.DownloadContentAsync()).Value.Content.ToString());
    }

    [Theory]
    [InlineData("malformed-json", HttpStatusCode.BadRequest)]
    [InlineData("wrong-content-type", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("body-over-limit", HttpStatusCode.RequestEntityTooLarge)]
    [InlineData("not-an-object", HttpStatusCode.BadRequest)]
    [InlineData("missing-id", HttpStatusCode.BadRequest)]
    [InlineData("id-leaves-prefix", HttpStatusCode.BadRequest)]
    [InlineData("id-dot-dot", HttpStatusCode.BadRequest)]
    [InlineData("id-control-character", HttpStatusCode.BadRequest)]
    [InlineData("id-too-long", HttpStatusCode.BadRequest)]
    [InlineData("unknown-route", HttpStatusCode.NotFound)]
    [InlineData("wrong-method", HttpStatusCode.MethodNotAllowed)]
    [InlineData("missing-key", HttpStatusCode.Unauthorized)]
    [InlineData("wrong-key", HttpStatusCode.Unauthorized)]
    public async Task Post_BadInput_AnswersProblemAndWritesNothing(string kind, HttpStatusCode expected)
    {
        var id = "bad-" + Guid.NewGuid().ToString("N");
        var acceptedBefore = Accepted();

        using var response = kind switch
        {
            "malformed-json" => await Post($$"""{"id":"{{id}}",""" ),
            "wrong-content-type" => await Post($$"""{"id":"{{id}}"}""", contentType: "text/plain"),
            "body-over-limit" => await Post($$"""{"id":"{{id}}","pad":"{{new string('x', (int)FunctionOptions.DefaultMaxBodyBytes)}}"}"""),
            "not-an-object" => await Post($$"""["{{id}}"]"""),
            "missing-id" => await Post($$"""{"name":"{{id}}"}"""),
            "id-leaves-prefix" => await Post($$"""{"id":"../{{id}}"}"""),
            "id-dot-dot" => await Post($$"""{"id":"..","note":"{{id}}"}"""),
            "id-control-character" => await Post($$"""{"id":"{{id}}\u0001"}"""),
            "id-too-long" => await Post($$"""{"id":"{{id}}{{new string('a', UploadId.MaxLength)}}"}"""),
            "unknown-route" => await StackFixture.SendAsync(stack.Upload, HttpMethod.Post, "/nope", $$"""{"id":"{{id}}"}"""),
            "wrong-method" => await StackFixture.SendAsync(stack.Upload, HttpMethod.Get, "/"),
            "missing-key" => await Post($$"""{"id":"{{id}}"}""", key: null),
            "wrong-key" => await Post($$"""{"id":"{{id}}"}""", key: "not-the-key"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
        var problem = await response.Content.ReadAsStringAsync();
        var acceptedAfter = await AcceptedAfterFenceAsync();

        output.WriteLine(problem.Length > 500 ? problem[..500] : problem);
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"detail\"", problem, StringComparison.Ordinal);
        Assert.Equal(acceptedBefore + 1, acceptedAfter);
        await AssertNothingStoredAsync(id);
    }

    [Fact]
    public async Task Post_KeyInApikeyHeader_IsAccepted()
    {
        var id = "apikey-" + Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/", UriKind.Relative))
        {
            Content = new StringContent($$"""{"id":"{{id}}"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(Contracts.Routes.ApiKeyHeader, StackFixture.Key);

        using var response = await stack.Upload.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        // Its own UploadAccepted line is in before the test ends, so no later test that counts those lines counts it.
        await WaitForAcceptedAsync(id);
    }

    [Fact]
    public async Task Probes_WithoutKey_Answer200()
    {
        using var live = await StackFixture.SendAsync(stack.Upload, HttpMethod.Get, Contracts.Routes.Liveness, key: null);
        using var ready = await StackFixture.SendAsync(stack.Upload, HttpMethod.Get, Contracts.Routes.Readiness, key: null);

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    private Task<HttpResponseMessage> Post(string body, string contentType = "application/json", string? key = StackFixture.Key) =>
        StackFixture.SendAsync(stack.Upload, HttpMethod.Post, "/", body, contentType, key);

    /// <summary>
    /// Posts a valid upload and waits until it is accepted and stored: a request before it would have been logged first,
    /// and, had it been accepted, its own processing (same delay, started earlier) would have written its blob by then.
    /// </summary>
    private async Task<int> AcceptedAfterFenceAsync()
    {
        var fence = "fence-" + Guid.NewGuid().ToString("N");
        using var response = await Post($$"""{"id":"{{fence}}"}""");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await WaitForAcceptedAsync(fence);
        var fenceBlob = stack.Uploads.GetBlobClient(UploadHandler.BlobName(fence));
        await Poll.UntilAsync(async () => (await fenceBlob.ExistsAsync()).Value, s_timeout, "the fence's blob");
        return Accepted();
    }

    /// <summary>
    /// Nothing of the request anywhere in the container: no blob named after what it sent, under any prefix (an id that
    /// escaped processed/ lands elsewhere, so its normalised name proves nothing), no staged body holding it, no queued job.
    /// </summary>
    private async Task AssertNothingStoredAsync(string token)
    {
        await foreach (var blob in stack.Uploads.GetBlobsAsync())
        {
            Assert.DoesNotContain(token, blob.Name, StringComparison.Ordinal);
            if (blob.Name.StartsWith(UploadHandler.StagedBodyPrefix, StringComparison.Ordinal))
            {
                var staged = (await stack.Uploads.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content.ToString();
                Assert.DoesNotContain(token, staged, StringComparison.Ordinal);
            }
        }

        var jobs = await stack.UploadJobs.PeekMessagesAsync(32);
        Assert.DoesNotContain(jobs.Value, m => Encoding.UTF8.GetString(Convert.FromBase64String(m.Body.ToString())).Contains(token, StringComparison.Ordinal));
    }

    private Task<string> WaitForAcceptedAsync(string id) =>
        stack.Upload.WaitForLineAsync(l => s_uploadAccepted.Matches(l) && l.Contains(id, StringComparison.Ordinal), s_timeout);

    private int Accepted() => stack.Upload.Logs.Count(s_uploadAccepted.Matches);
}
