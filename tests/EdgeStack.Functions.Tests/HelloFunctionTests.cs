using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Azure.Data.Tables;
using EdgeStack.Testing;
using Xunit.Abstractions;

namespace EdgeStack.Functions.Tests;

[Collection(StackCollection.Name)]
public sealed class HelloFunctionTests(StackFixture stack, ITestOutputHelper output)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Get_Root_AnswersHelloWorldAndTheEventLandsInTheTable()
    {
        // The request's own trace id marks its event: no other request (the fixture's warm-up, another test) has it.
        var traceId = ActivityTraceId.CreateRandom().ToHexString();

        using var response = await SendTracedAsync(traceId);
        var text = await response.Content.ReadAsStringAsync();
        var stored = await Poll.UntilAsync(
            async () => (await HelloEventsAsync()).FirstOrDefault(e => TraceIdOf(e) == traceId),
            s_timeout,
            "the hello event in the analytics table");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Hello World", text);
        Assert.Equal("request", stored.GetString("Name"));
        using var properties = JsonDocument.Parse(stored.GetString("Properties"));
        Assert.Equal("/", properties.RootElement.GetProperty("path").GetString());
        Assert.Equal("GET", properties.RootElement.GetProperty("method").GetString());
    }

    [Fact]
    public async Task Get_ManyRequests_EveryEventLandsOnce()
    {
        const int requests = 400;
        var traceIds = Enumerable.Range(0, requests).Select(_ => ActivityTraceId.CreateRandom().ToHexString()).ToHashSet();
        var clock = Stopwatch.StartNew();

        await Parallel.ForEachAsync(traceIds, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (traceId, ct) =>
        {
            using var response = await SendTracedAsync(traceId);
            response.EnsureSuccessStatusCode();
        });
        var answeredAfter = clock.Elapsed;
        await Poll.UntilAsync(async () => (await OursAsync()).Distinct().Count() == requests, s_timeout, "every hello event in the table");
        var storedAfter = clock.Elapsed;

        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{requests} requests answered in {answeredAfter.TotalMilliseconds:0} ms; all events stored after {storedAfter.TotalMilliseconds:0} ms: {requests / storedAfter.TotalSeconds:0} events/s end to end."));
        Assert.Equal(requests, (await OursAsync()).Count);

        async Task<List<string?>> OursAsync() => (await HelloEventsAsync()).Select(TraceIdOf).Where(t => t is not null && traceIds.Contains(t)).ToList();
    }

    private Task<HttpResponseMessage> SendTracedAsync(string traceId)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/", UriKind.Relative));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", StackFixture.Key);
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        return stack.Hello.Client.SendAsync(request);
    }

    private async Task<List<TableEntity>> HelloEventsAsync()
    {
        var events = new List<TableEntity>();
        await foreach (var entity in stack.Events.QueryAsync<TableEntity>(e => e.GetString("Function") == "hello"))
        {
            events.Add(entity);
        }

        return events;
    }

    private static string? TraceIdOf(TableEntity entity)
    {
        using var properties = JsonDocument.Parse(entity.GetString("Properties") ?? "{}");
        return properties.RootElement.TryGetProperty("traceId", out var traceId) ? traceId.GetString() : null;
    }
}
