using System.Net;
using EdgeStack.Azure;
using EdgeStack.Functions.Upload;
using EdgeStack.Functions.Worker;
using EdgeStack.Testing;

namespace EdgeStack.Functions.Tests;

[Collection(StackCollection.Name)]
public sealed class WorkerFunctionTests(StackFixture stack)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    // The worker drains its queue while a test looks, so "nothing queued" is read from the queued log line, not the
    // queue's length.
    private static readonly LogEvent s_jobQueued = new("EdgeStack.Functions.Worker.JobsEndpoints", 220);

    [Fact]
    public async Task Worker_JobThatAlwaysFails_EndsInItsPoisonQueueAfterMaxTriesAndTheWorkerKeepsGoing()
    {
        var workId = "always-fails-" + Guid.NewGuid().ToString("N");
        var envelope = new DurableWorkEnvelope(workId, ReportHandler.Name, new ReportWork("bad-steps", Steps: -1).ToJson());

        await stack.WorkerJobs.SendMessageAsync(AzureQueueDurableWorkQueue.EncodeMessage(envelope));
        var poisoned = await Poll.UntilAsync(
            async () => (await stack.PeekPoisonAsync(FunctionProject.Worker)).FirstOrDefault(p => p.Message?.Contains(workId, StringComparison.Ordinal) == true),
            s_timeout,
            "the failing message in worker-jobs-poison");
        var reportId = "after-poison-" + Guid.NewGuid().ToString("N");
        using var queued = await StackFixture.SendAsync(stack.Worker, HttpMethod.Post, "/jobs", $$"""{"id":"{{reportId}}","steps":2,"stepMilliseconds":50}""");
        var report = stack.Uploads.GetBlobClient(ReportHandler.Prefix + reportId + ".json");
        await Poll.UntilAsync(async () => (await report.ExistsAsync()).Value, s_timeout, "the report after the poisoned message");

        Assert.Equal(StackFixture.WorkerMaxDequeueCount, poisoned.DequeueCount);
        Assert.Contains("'steps'", poisoned.Reason, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, queued.StatusCode);
    }

    [Fact]
    public async Task PostJobs_LongerThanTheTaskTimeout_IsRefusedNamingTheSettingAndQueuesNothing()
    {
        var id = "too-long-" + Guid.NewGuid().ToString("N");

        using var refused = await StackFixture.SendAsync(stack.Worker, HttpMethod.Post, "/jobs", $$"""{"id":"{{id}}","steps":10000,"stepMilliseconds":600000}""");
        var problem = await refused.Content.ReadAsStringAsync();
        await QueuedAfterFenceAsync();

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("EdgeRuntime:TaskTimeoutSeconds", problem, StringComparison.Ordinal);
        Assert.DoesNotContain(stack.Worker.Logs, l => s_jobQueued.Matches(l) && l.State("ReportId").GetString() == id);
    }
    [Fact]
    public async Task Worker_UnreadableMessage_GoesToPoisonAtOnce()
    {
        var marker = "garbage-" + Guid.NewGuid().ToString("N");

        await stack.WorkerJobs.SendMessageAsync(marker);
        var poisoned = await Poll.UntilAsync(
            async () => (await stack.PeekPoisonAsync(FunctionProject.Worker)).FirstOrDefault(p => p.Message?.Contains(marker, StringComparison.Ordinal) == true),
            s_timeout,
            "the unreadable message in worker-jobs-poison");

        Assert.Equal(1, poisoned.DequeueCount);
    }

    [Fact]
    public async Task Worker_WorkOfAnotherFunctionsHandler_GoesToPoisonAtOnceUnrun()
    {
        // The worker no longer runs other functions' handlers: upload work on its queue is not its own.
        var workId = "not-mine-" + Guid.NewGuid().ToString("N");
        var id = "not-mine-" + Guid.NewGuid().ToString("N");

        await stack.WorkerJobs.SendMessageAsync(AzureQueueDurableWorkQueue.EncodeMessage(new DurableWorkEnvelope(workId, UploadHandler.Name, new UploadWork(id, "{}").ToJson())));
        var poisoned = await Poll.UntilAsync(
            async () => (await stack.PeekPoisonAsync(FunctionProject.Worker)).FirstOrDefault(p => p.Message?.Contains(workId, StringComparison.Ordinal) == true),
            s_timeout,
            "the message for a handler the worker does not have in worker-jobs-poison");

        Assert.Equal(1, poisoned.DequeueCount);
        Assert.Contains($"'{UploadHandler.Name}'", poisoned.Reason, StringComparison.Ordinal);
        Assert.False((await stack.Uploads.GetBlobClient(UploadHandler.BlobName(id)).ExistsAsync()).Value);
    }

    /// <summary>Queues a valid job and waits for its queued line: a job queued before it would have been logged first.</summary>
    private async Task QueuedAfterFenceAsync()
    {
        var fence = "fence-" + Guid.NewGuid().ToString("N");
        using var response = await StackFixture.SendAsync(stack.Worker, HttpMethod.Post, "/jobs", $$"""{"id":"{{fence}}","steps":0,"stepMilliseconds":0}""");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await stack.Worker.WaitForLineAsync(l => LogLine.TryParse(l) is { } line && s_jobQueued.Matches(line) && line.State("ReportId").GetString() == fence, s_timeout);
    }
}
