using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Xunit.Abstractions;

namespace EdgeStack.Functions.Tests;

[Collection(StackCollection.Name)]
public sealed class AnalyticsFunctionTests(StackFixture stack, ITestOutputHelper output)
{
    [Fact]
    public async Task PostEvents_Batches_AreStoredAndTheNewestComeFirst()
    {
        const int batches = 30;
        const int batchSize = 100;
        var run = Guid.NewGuid().ToString("N")[..8];
        var clock = Stopwatch.StartNew();

        for (var b = 0; b < batches; b++)
        {
            var events = Enumerable.Range(0, batchSize).Select(i => new { name = $"bulk-{run}-{b}-{i}", properties = new { i } });
            using var response = await StackFixture.SendAsync(stack.Analytics, HttpMethod.Post, "/events", JsonSerializer.Serialize(events));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var elapsed = clock.Elapsed;
        using var recent = await StackFixture.SendAsync(stack.Analytics, HttpMethod.Get, "/events?limit=3", key: StackFixture.ReadKey);
        using var recentJson = JsonDocument.Parse(await recent.Content.ReadAsStringAsync());

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{batches * batchSize} events stored in {elapsed.TotalMilliseconds:0} ms: {batches * batchSize / elapsed.TotalSeconds:0} events/s into the sink."));
        Assert.Equal(
            [$"bulk-{run}-29-99", $"bulk-{run}-29-98", $"bulk-{run}-29-97"],
            recentJson.RootElement.EnumerateArray().Select(e => e.GetProperty("name").GetString()));
    }

    [Theory]
    [InlineData("""{"properties":{}}""")]
    [InlineData("""[{"name":"{run}-0"},{"name":"{run}-1"},{"name":""}]""")]
    [InlineData("""[{"name":"{run}-0"},{"name":"{run}-1","timestamp":"yesterday"}]""")]
    [InlineData("""[{"name":"{run}-0"},{"name":"{run}-1","timestamp":"1600-12-31T00:00:00Z"}]""")]
    [InlineData("""[{"name":"{run}-0"},{"name":"{run}-1","properties":[1]}]""")]
    [InlineData("""[{"name":"{run}-0"},42]""")]
    [InlineData("""[]""")]
    [InlineData("""42""")]
    public async Task PostEvents_BadEvent_AnswersProblemAndStoresNoneOfTheBatch(string body)
    {
        // Every event of the batch carries this run's marker, so the table can be asked for any of them.
        var run = "refused-" + Guid.NewGuid().ToString("N");

        using var response = await StackFixture.SendAsync(stack.Analytics, HttpMethod.Post, "/events", body.Replace("{run}", run, StringComparison.Ordinal));
        var stored = new List<string>();
        await foreach (var entity in stack.Events.QueryAsync<global::Azure.Data.Tables.TableEntity>($"Name ge '{run}' and Name lt '{run}~'"))
        {
            stored.Add(entity.GetString("Name"));
        }

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(stored);
    }

    [Fact]
    public async Task PostEvents_WithoutKey_Answers401()
    {
        using var response = await StackFixture.SendAsync(stack.Analytics, HttpMethod.Post, "/events", """{"name":"anonymous"}""", key: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1001")]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("99999999999")]
    public async Task GetEvents_BadLimit_AnswersProblemNamingItAndLogsNoError(string limit)
    {
        var linesBefore = stack.Analytics.Output.Count;

        using var response = await StackFixture.SendAsync(stack.Analytics, HttpMethod.Get, $"/events?limit={limit}", key: StackFixture.ReadKey);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"'limit' must be a whole number between 1 and 1000; it is '{limit}'.", problem.RootElement.GetProperty("detail").GetString());
        Assert.DoesNotContain(
            stack.Analytics.Output.Skip(linesBefore).Select(EdgeStack.Testing.LogLine.TryParse),
            l => l is { LogLevel: "Error" or "Critical" });
    }

    [Fact]
    public async Task GetEvents_LimitAtTheBounds_Answers200()
    {
        using var one = await StackFixture.SendAsync(stack.Analytics, HttpMethod.Get, "/events?limit=1", key: StackFixture.ReadKey);
        using var most = await StackFixture.SendAsync(stack.Analytics, HttpMethod.Get, "/events?limit=1000", key: StackFixture.ReadKey);

        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        Assert.Equal(HttpStatusCode.OK, most.StatusCode);
    }

    [Fact]
    public async Task GetEvents_WithTheWriteKey_Answers403NamingTheReadKey()
    {
        using var response = await StackFixture.SendAsync(stack.Analytics, HttpMethod.Get, "/events?limit=1");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains(Contracts.SettingNames.FunctionReadKey, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostEvents_WithTheReadKey_Answers401()
    {
        using var response = await StackFixture.SendAsync(stack.Analytics, HttpMethod.Post, "/events", """{"name":"read-key-writes"}""", key: StackFixture.ReadKey);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task GetEvents_MoreThanTheByteBudget_StopsUnderItAndSaysTruncated()
    {
        // 6 batches of 30 events with ~30 KB of properties each: ~5.4 MB, over the 4 MiB budget of one answer.
        const int budget = 4 * 1024 * 1024;
        var run = Guid.NewGuid().ToString("N")[..8];
        var padding = new string('p', 30_000);
        for (var b = 0; b < 6; b++)
        {
            var events = Enumerable.Range(0, 30).Select(i => new { name = $"big-{run}-{b}-{i}", properties = new { padding } });
            using var posted = await StackFixture.SendAsync(stack.Analytics, HttpMethod.Post, "/events", JsonSerializer.Serialize(events));
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        }

        using var response = await StackFixture.SendAsync(stack.Analytics, HttpMethod.Get, "/events?limit=1000", key: StackFixture.ReadKey);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        using var json = JsonDocument.Parse(bytes);

        var names = json.RootElement.EnumerateArray().Select(e => e.GetProperty("name").GetString()).ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{names.Count} events in {bytes.Length} bytes"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("true", Assert.Single(response.Headers.GetValues("EdgeStack-Truncated")));
        Assert.InRange(bytes.Length, budget - 40_000, budget);
        Assert.Equal($"big-{run}-5-29", names[0]);
    }

    [Fact]
    public async Task GetEvents_UnderTheByteBudget_IsNotMarkedTruncated()
    {
        using var response = await StackFixture.SendAsync(stack.Analytics, HttpMethod.Get, "/events?limit=2", key: StackFixture.ReadKey);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("EdgeStack-Truncated"));
    }
}
