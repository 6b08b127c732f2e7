using System.Net;
using EdgeStack.Azure;
using EdgeStack.Testing;

namespace EdgeStack.Functions.Tests;

[Collection(StackCollection.Name)]
public sealed class WorkerFunctionTests(StackFixture stack)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Worker_MessageThatAlwaysFails_EndsInPoisonAfterMaxTriesAndTheWorkerKeepsGoing()
    {
        var workId = "always-fails-" + Guid.NewGuid().ToString("N");
        var envelope = new DurableWorkEnvelope(workId, UploadHandler.Name, new UploadWork("../not-allowed", "{}").ToJson());

        await stack.Jobs.SendMessageAsync(AzureQueueDurableWorkQueue.EncodeMessage(envelope));
        var poisoned = await Poll.UntilAsync(
            async () => (await stack.PeekPoisonAsync()).FirstOrDefault(p => p.Message?.Contains(workId, StringComparison.Ordinal) == true),
            s_timeout,
            "the failing message in jobs-poison");
        var reportId = "after-poison-" + Guid.NewGuid().ToString("N");
        using var queued = await StackFixture.SendAsync(stack.Worker, HttpMethod.Post, "/jobs", $$"""{"id":"{{reportId}}","steps":2,"stepMilliseconds":50}""");
        var report = stack.Uploads.GetBlobClient(ReportHandler.Prefix + reportId + ".json");
        await Poll.UntilAsync(async () => (await report.ExistsAsync()).Value, s_timeout, "the report after the poisoned message");

        Assert.Equal(StackFixture.WorkerMaxDequeueCount, poisoned.DequeueCount);
        Assert.Contains("'id'", poisoned.Reason, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, queued.StatusCode);
    }

    [Fact]
    public async Task PostJobs_LongerThanTheTaskTimeout_IsRefusedNamingTheSetting()
    {
        var before = (await stack.Jobs.GetPropertiesAsync()).Value.ApproximateMessagesCount;

        using var refused = await StackFixture.SendAsync(stack.Worker, HttpMethod.Post, "/jobs", """{"id":"too-long","steps":10000,"stepMilliseconds":600000}""");
        var problem = await refused.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("EdgeRuntime:TaskTimeoutSeconds", problem, StringComparison.Ordinal);
        Assert.True((await stack.Jobs.GetPropertiesAsync()).Value.ApproximateMessagesCount <= before);
    }

    [Fact]
    public async Task Worker_UnreadableMessage_GoesToPoisonAtOnce()
    {
        var marker = "garbage-" + Guid.NewGuid().ToString("N");

        await stack.Jobs.SendMessageAsync(marker);
        var poisoned = await Poll.UntilAsync(
            async () => (await stack.PeekPoisonAsync()).FirstOrDefault(p => p.Message?.Contains(marker, StringComparison.Ordinal) == true),
            s_timeout,
            "the unreadable message in jobs-poison");

        Assert.Equal(1, poisoned.DequeueCount);
    }

    [Fact]
    public async Task Worker_UnknownHandler_GoesToPoisonAtOnce()
    {
        var workId = "unknown-" + Guid.NewGuid().ToString("N");

        await stack.Jobs.SendMessageAsync(AzureQueueDurableWorkQueue.EncodeMessage(new DurableWorkEnvelope(workId, "no-such-handler", "{}")));
        var poisoned = await Poll.UntilAsync(
            async () => (await stack.PeekPoisonAsync()).FirstOrDefault(p => p.Message?.Contains(workId, StringComparison.Ordinal) == true),
            s_timeout,
            "the message for an unknown handler in jobs-poison");

        Assert.Equal(1, poisoned.DequeueCount);
        Assert.Contains("no-such-handler", poisoned.Reason, StringComparison.Ordinal);
    }
}
