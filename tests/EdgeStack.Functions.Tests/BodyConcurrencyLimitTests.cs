using System.Net;
using System.Net.Sockets;
using System.Text;
using EdgeStack.Contracts;
using EdgeStack.Testing;

namespace EdgeStack.Functions.Tests;

/// <summary>Issue 15.3: requests with a body beyond <c>Function:MaxConcurrentBodyRequests</c> are refused before their body is read.</summary>
[Collection(StackCollection.Name)]
public sealed class BodyConcurrencyLimitTests(StackFixture stack)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Post_WhileTheOnlyPermitIsHeld_Answers503WithRetryAfterAndTheNextOneIsAcceptedAfterwards()
    {
        await using var upload = await stack.StartAsync(FunctionProject.Upload, new()
        {
            [SettingNames.ToEnvironmentVariable(SettingNames.FunctionMaxConcurrentBodyRequests)] = "1",
            ["Logging__LogLevel__Microsoft.AspNetCore.Routing.EndpointMiddleware"] = "Information",
        });
        var held = """{"id":"held-""" + Guid.NewGuid().ToString("N") + "\"}";
        using var slow = new TcpClient();
        await slow.ConnectAsync(IPAddress.Loopback, upload.BaseAddress.Port);
        var stream = slow.GetStream();
        var head = $"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {StackFixture.Key}\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(held)}\r\n\r\n";

        // The body is sent all but its last byte: the request holds the one permit while its endpoint waits to read it.
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head + held[..^1]));
        // The endpoint runs after the limiter: once it executes, the held request has the permit (a request sent before
        // that could take the permit first and get the held one refused, leaving nothing to refuse the next).
        await upload.WaitForLineAsync(l => l.Contains("Executing endpoint", StringComparison.Ordinal) && l.Contains("POST", StringComparison.Ordinal), s_timeout);
        HttpResponseMessage? refused = null;
        await Poll.UntilAsync(
            async () =>
            {
                var response = await StackFixture.SendAsync(upload, HttpMethod.Post, "/", $$"""{"id":"busy-{{Guid.NewGuid():N}}"}""");
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    refused = response;
                    return true;
                }

                response.Dispose();
                return false;
            },
            s_timeout,
            "a request refused while the permit is held");
        var problem = await refused!.Content.ReadAsStringAsync();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(held[^1..]));
        var heldAnswer = await new StreamReader(stream).ReadLineAsync().WaitAsync(s_timeout);

        // The permit is released as the held request's pipeline unwinds, just after its answer: the next one gets it.
        await Poll.UntilAsync(
            async () =>
            {
                using var after = await StackFixture.SendAsync(upload, HttpMethod.Post, "/", $$"""{"id":"after-{{Guid.NewGuid():N}}"}""");
                return after.StatusCode == HttpStatusCode.Accepted;
            },
            s_timeout,
            "a request accepted once the permit is free");

        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains(SettingNames.FunctionMaxConcurrentBodyRequests, problem, StringComparison.Ordinal);
        Assert.Equal("HTTP/1.1 202 Accepted", heldAnswer);
        refused.Dispose();
    }
}
