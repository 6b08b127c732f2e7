using System.Net;
using System.Net.Http.Headers;
//#if (kind == "queue")
using System.Text;
//#endif
using EdgeStack.Testing;

namespace EdgeStack.Functions.FunctionPascal.Tests;

public sealed class FunctionPascalFunctionTests(FunctionPascalFixture function) : IClassFixture<FunctionPascalFixture>
{
    /// <summary>The function's log event ids (its Log class).</summary>
    private const int AnsweredInBackground = 300;
//#if (kind == "queue")
    private const int WorkDone = 303;
//#endif

    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task GetRoot_WithTheKey_Answers200()
    {
        using var response = await SendAsync(HttpMethod.Get, "/", FunctionPascalFixture.Key);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Hello from function-name", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task GetRoot_WithoutAKey_Answers401ProblemJson()
    {
        using var response = await SendAsync(HttpMethod.Get, "/", key: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task GetRoot_WithAWrongKey_Answers401()
    {
        using var response = await SendAsync(HttpMethod.Get, "/", "not-the-key");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task GetRoot_WorkAfterTheAnswer_RunsInTheBackground()
    {
        var marker = Guid.NewGuid().ToString("N");

        using var response = await SendAsync(HttpMethod.Get, "/?request=" + marker, FunctionPascalFixture.Key);
        var done = await function.App.WaitForLineAsync(l => LogLine.TryParse(l) is { EventId: AnsweredInBackground } log && log.Raw.Contains(marker, StringComparison.Ordinal), s_timeout);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(done);
    }
//#if (kind == "queue")

    [Fact]
    public async Task PostWork_AcceptedWork_IsRunByItsHandler()
    {
        var id = Guid.NewGuid().ToString("N");

        using var response = await SendAsync(HttpMethod.Post, "/work", FunctionPascalFixture.Key, $$"""{"id":"{{id}}"}""");
        var done = await function.App.WaitForLineAsync(l => LogLine.TryParse(l) is { EventId: WorkDone } log && log.Raw.Contains(id, StringComparison.Ordinal), s_timeout);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.NotNull(done);
    }

    [Fact]
    public async Task PostWork_SigkillWithAcceptedWorkPending_TheNextInstanceFinishesAllOfIt()
    {
        // Each item takes 3 s, so none is done at the kill; the task timeout of 4 s hides the queued messages for 4 + 5 s,
        // then the function's other instances take them from its own queue: durable work belongs to its function. Two run
        // then, the one started after the kill and the fixture's own, and whichever receives an item first finishes it.
        var run = "kill-" + Guid.NewGuid().ToString("N")[..8];
        var ids = Enumerable.Range(0, 10).Select(i => $"{run}-{i}").ToList();
        await using (var killed = await function.StartAnotherAsync(workDelayMilliseconds: 3000, taskTimeoutSeconds: 4))
        {
            foreach (var id in ids)
            {
                using var accepted = await SendAsync(killed, HttpMethod.Post, "/work", FunctionPascalFixture.Key, $$"""{"id":"{{id}}"}""");
                Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            }

            killed.Signal(FunctionProcess.SigKill);
            await killed.WaitForExitAsync(s_timeout);
            Assert.DoesNotContain(killed.Logs, l => l.EventId == WorkDone);
        }

        await using var next = await function.StartAnotherAsync(workDelayMilliseconds: 0, taskTimeoutSeconds: 4);
        foreach (var id in ids)
        {
            bool Done(string line) => LogLine.TryParse(line) is { EventId: WorkDone } log && log.Raw.Contains('"' + id + '"', StringComparison.Ordinal);
            var finished = new[] { next.WaitForLineAsync(Done, TimeSpan.FromSeconds(90)), function.App.WaitForLineAsync(Done, TimeSpan.FromSeconds(90)) };
            await Task.WhenAny(finished);
            Assert.True(finished.Any(f => f.IsCompletedSuccessfully), $"{id}, accepted before the kill, was not finished by the function's other instances within 90 s.");
        }

        var poisoned = await function.Azurite.PoisonQueue("function-name").GetPropertiesAsync();
        Assert.Equal(0, poisoned.Value.ApproximateMessagesCount);
    }

    [Theory]
    [InlineData("""{"name":"no id"}""")]
    [InlineData("""{"id":"../escape"}""")]
    [InlineData("""[1,2]""")]
    public async Task PostWork_BadBody_Answers400ProblemJson(string body)
    {
        using var response = await SendAsync(HttpMethod.Post, "/work", FunctionPascalFixture.Key, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
//#endif

//#if (kind == "queue")
    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? key, string? json = null) =>
        SendAsync(function.App, method, path, key, json);

    private static Task<HttpResponseMessage> SendAsync(FunctionProcess app, HttpMethod method, string path, string? key, string? json = null)
//#else
    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? key)
//#endif
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
//#if (kind == "queue")

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
//#endif

//#if (kind == "queue")
        return app.Client.SendAsync(request);
//#else
        return function.App.Client.SendAsync(request);
//#endif
    }
}
