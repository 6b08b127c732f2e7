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
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        using var response = await StackFixture.SendAsync(stack.Hello, HttpMethod.Get, "/");
        var text = await response.Content.ReadAsStringAsync();
        var stored = await Poll.UntilAsync(
            async () =>
            {
                await foreach (var entity in stack.Events.QueryAsync<TableEntity>(e => e.GetString("Function") == "hello"))
                {
                    if (entity.GetDateTimeOffset("EventTime") >= before)
                    {
                        return entity;
                    }
                }

                return null;
            },
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
    public async Task Get_ManyRequests_EveryEventLands()
    {
        const int requests = 400;
        var before = await CountHelloEventsAsync();
        var clock = Stopwatch.StartNew();

        await Parallel.ForAsync(0, requests, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (_, ct) =>
        {
            using var response = await StackFixture.SendAsync(stack.Hello, HttpMethod.Get, "/");
            response.EnsureSuccessStatusCode();
        });
        var answeredAfter = clock.Elapsed;
        await Poll.UntilAsync(async () => await CountHelloEventsAsync() >= before + requests, s_timeout, "every hello event in the table");
        var storedAfter = clock.Elapsed;

        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{requests} requests answered in {answeredAfter.TotalMilliseconds:0} ms; all events stored after {storedAfter.TotalMilliseconds:0} ms: {requests / storedAfter.TotalSeconds:0} events/s end to end."));
        Assert.Equal(before + requests, await CountHelloEventsAsync());
    }

    private async Task<int> CountHelloEventsAsync()
    {
        var count = 0;
        await foreach (var _ in stack.Events.QueryAsync<TableEntity>(e => e.GetString("Function") == "hello", select: ["RowKey"]))
        {
            count++;
        }

        return count;
    }
}
