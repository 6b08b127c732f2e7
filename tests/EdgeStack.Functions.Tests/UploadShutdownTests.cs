using System.Globalization;
using System.Net;
using EdgeStack.Contracts;
using EdgeStack.Functions.Upload;
using EdgeStack.Testing;
using Xunit.Abstractions;

namespace EdgeStack.Functions.Tests;

[Collection(StackCollection.Name)]
public sealed class UploadShutdownTests(StackFixture stack, ITestOutputHelper output)
{
    private static readonly LogEvent s_uploadCompleted = new("EdgeStack.Functions.Upload.UploadHandler", 202);
    private static readonly LogEvent s_taskAbandoned = new("EdgeStack.Runtime", 3);
    private static readonly LogEvent s_drainCompleted = new("EdgeStack.Runtime", 5);
    private static readonly LogEvent s_stopOverran = new("EdgeStack.Runtime", 18);
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Sigterm_FiftyUploadsPending_EveryBlobIsStoredBeforeExit()
    {
        await using var upload = await stack.StartAsync(FunctionProject.Upload, new()
        {
            [SettingNames.ToEnvironmentVariable(SettingNames.UploadProcessingDelayMilliseconds)] = "3000",
            [SettingNames.ToEnvironmentVariable(SettingNames.FunctionMaxConcurrentBodyRequests)] = "64",
        });
        var ids = Enumerable.Range(0, 50).Select(i => $"term-{i}-{Guid.NewGuid():N}").ToList();
        var answers = await Task.WhenAll(ids.Select(async id =>
        {
            using var response = await StackFixture.SendAsync(upload, HttpMethod.Post, "/", $$"""{"id":"{{id}}","n":1}""");
            return response.StatusCode;
        }));

        upload.Signal(FunctionProcess.SigTerm);
        var exitCode = await upload.WaitForExitAsync(s_timeout);
        var missing = new List<string>();
        foreach (var id in ids)
        {
            if (!(await stack.Uploads.GetBlobClient(UploadHandler.BlobName(id)).ExistsAsync()).Value)
            {
                missing.Add(id);
            }
        }

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Accepted, a));
        Assert.Equal(0, exitCode);
        Assert.Empty(missing);
        Assert.Contains(upload.Logs, s_drainCompleted.Matches);
        Assert.Equal(50, upload.Logs.Count(s_uploadCompleted.Matches));
    }

    [Fact]
    public async Task Sigkill_DuringDurableWork_AnInstanceOfUploadCompletesItOnceFromItsOwnQueue()
    {
        // Task timeout 2 s: the message stays hidden for 2 + 5 s after the upload is accepted, then an upload instance takes it
        // from upload-jobs: the one started after the kill, or the stack's other upload instance (another replica).
        var settings = new Dictionary<string, string?>
        {
            [SettingNames.ToEnvironmentVariable(SettingNames.UploadProcessingDelayMilliseconds)] = "1500",
            [SettingNames.ToEnvironmentVariable(SettingNames.TaskTimeoutSeconds)] = "2",
            [SettingNames.ToEnvironmentVariable(SettingNames.JobsMaxPollIntervalMilliseconds)] = "200",
        };
        var upload = await stack.StartAsync(FunctionProject.Upload, settings);
        var id = "killed-" + Guid.NewGuid().ToString("N");
        var body = $$"""{"id":"{{id}}","payload":"survives SIGKILL"}""";
        var blob = stack.Uploads.GetBlobClient(UploadHandler.BlobName(id));
        await using (upload)
        {
            using var response = await StackFixture.SendAsync(upload, HttpMethod.Post, "/", body);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

            upload.Signal(FunctionProcess.SigKill);
            await upload.WaitForExitAsync(s_timeout);
        }

        var storedByTheKilledProcess = (await blob.ExistsAsync()).Value;
        await using var next = await stack.StartAsync(FunctionProject.Upload, settings);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Poll.UntilAsync(async () => (await blob.ExistsAsync()).Value, s_timeout, "an upload instance to store the abandoned upload");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Stored {clock.ElapsedMilliseconds} ms after the next instance started."));
        await Task.WhenAny(next.WaitForLineAsync(l => IsUploadCompleted(l, id), s_timeout), stack.Upload.WaitForLineAsync(l => IsUploadCompleted(l, id), s_timeout)).Unwrap();
        await Poll.UntilAsync(async () => (await stack.UploadJobs.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0, s_timeout, "the finished message to be deleted");

        Assert.False(storedByTheKilledProcess);
        Assert.DoesNotContain(upload.Output, l => IsUploadCompleted(l, id));
        Assert.Single(next.Output.Concat(stack.Upload.Output), l => IsUploadCompleted(l, id));
        Assert.Equal(body, (await blob.DownloadContentAsync()).Value.Content.ToString());
        Assert.DoesNotContain(await stack.PeekPoisonAsync(FunctionProject.Upload), p => p.Message?.Contains(id, StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Sigterm_UploadOutlivesTheDrainBudget_IsHandedOffNotCountedAsLost()
    {
        // A drain budget of 4 s, and the upload would take 20 s in this instance. The grace period of 10 s leaves the hand-off
        // 10 - 4 - 1 (the exit margin) = 5 s, and the drain must end before the process's own watchdog at 10 - 1 s.
        await using var upload = await stack.StartAsync(FunctionProject.Upload, new()
        {
            [SettingNames.ToEnvironmentVariable(SettingNames.UploadProcessingDelayMilliseconds)] = "20000",
            [SettingNames.ToEnvironmentVariable(SettingNames.TerminationGracePeriodSeconds)] = "10",
            [SettingNames.ToEnvironmentVariable(SettingNames.DrainBudgetSeconds)] = "4",
        });
        var id = "handed-off-" + Guid.NewGuid().ToString("N");
        using var response = await StackFixture.SendAsync(upload, HttpMethod.Post, "/", $$"""{"id":"{{id}}"}""");

        upload.Signal(FunctionProcess.SigTerm);
        var exitCode = await upload.WaitForExitAsync(s_timeout);
        // Handed back to upload-jobs, where the stack's other upload instance (another replica) takes it.
        await stack.Upload.WaitForLineAsync(l => IsUploadCompleted(l, id), s_timeout);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(0, exitCode);
        var drained = Assert.Single(upload.Logs, s_drainCompleted.Matches);
        // Before the grace period by the app's own clock: the drain ended before the watchdog's 10 - 1 s, and the watchdog
        // never had to cut the exit short.
        Assert.True(drained.State("DurationMs").GetInt64() < 9000, $"the drain took {drained.State("DurationMs").GetInt64()} ms, the grace period is 10 s");
        Assert.DoesNotContain(upload.Logs, s_stopOverran.Matches);
        Assert.Equal(0, drained.State("LostTasks").GetInt32());
        Assert.Equal(1, drained.State("HandedOffTasks").GetInt32());
        Assert.DoesNotContain(upload.Logs, s_taskAbandoned.Matches);
    }

    private static bool IsUploadCompleted(string line, string id) =>
        s_uploadCompleted.Matches(line) && line.Contains(id, StringComparison.Ordinal);
}
