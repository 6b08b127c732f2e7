using System.Globalization;
using System.Net;
using Azure.Storage.Blobs.Models;
using EdgeStack.Contracts;
using EdgeStack.Functions.Tally;
using EdgeStack.Testing;
using Xunit.Abstractions;

namespace EdgeStack.Functions.Tests;

/// <summary>
/// Durable work belongs to its function: <c>tally</c>, a test-only function that is none of the shipped four, registers its
/// own handler and nothing else; the work it accepted survives SIGKILL and a SIGTERM hand-off and is finished by its next
/// instance from its own queue, with no worker and no edit of shared code.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class DurableFunctionTests(StackFixture stack, ITestOutputHelper output)
{
    private const int Items = 20;
    private static readonly LogEvent s_counted = new("EdgeStack.Functions.Tally.CountHandler", 200);
    private static readonly LogEvent s_taskHandedOff = new("EdgeStack.Runtime", 9);
    private static readonly LogEvent s_workReceived = new("EdgeStack.Azure.AzureQueueDurableWorkQueue", 105);
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Sigkill_WithAcceptedWorkPending_TheNextInstanceFinishesAllOfItOnce()
    {
        // Each item would take 60 s, so none is done at the kill however long the 20 answers take; the task timeout of 4 s
        // hides the messages for 4 + 5 s. An item still running at 4 s times out uncounted and stays hidden just the same.
        var run = "kill-" + Guid.NewGuid().ToString("N")[..8];
        var ids = Enumerable.Range(0, Items).Select(i => $"{run}-{i}").ToList();
        var killed = await StartTallyAsync(delayMilliseconds: 60_000, taskTimeoutSeconds: 4);
        await using (killed)
        {
            await AcceptAllAsync(killed, ids);

            killed.Signal(FunctionProcess.SigKill);
            await killed.WaitForExitAsync(s_timeout);
        }

        var countedBeforeRestart = await CountedAsync(run);
        await using var next = await StartTallyAsync(delayMilliseconds: 50, taskTimeoutSeconds: 4);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Poll.UntilAsync(async () => (await CountedAsync(run)).Count == Items, s_timeout, $"all {Items} items counted by the next instance");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"All {Items} counted {clock.ElapsedMilliseconds} ms after the next instance started."));
        await Poll.UntilAsync(async () => await QueuedAsync() == 0, s_timeout, "tally-jobs to be empty");

        Assert.Empty(countedBeforeRestart);
        Assert.DoesNotContain(killed.Logs, s_counted.Matches);
        Assert.Equal(Items, next.Logs.Count(s_workReceived.Matches));
        Assert.Equal(ids.Order(StringComparer.Ordinal), (await CountedAsync(run)).Order(StringComparer.Ordinal));
        Assert.All(ids, id => Assert.Single(next.Logs, l => s_counted.Matches(l) && l.Raw.Contains('"' + id + '"', StringComparison.Ordinal)));
        Assert.Empty(await PoisonedAsync());
    }

    [Fact]
    public async Task Sigterm_WorkOutlastsTheDrain_HandedOffAndTheNextInstanceFinishesAllOfIt()
    {
        // A drain budget of 2 s and each item taking 30 s: drain hands every item back to tally-jobs. The grace period of
        // 10 s leaves the 20 hand-offs 10 - 2 - 1 (the exit margin) = 7 s; the process exits once they are done.
        var run = "term-" + Guid.NewGuid().ToString("N")[..8];
        var ids = Enumerable.Range(0, Items).Select(i => $"{run}-{i}").ToList();
        var stopped = await StartTallyAsync(delayMilliseconds: 30_000, taskTimeoutSeconds: 60, graceSeconds: 10, drainBudgetSeconds: 2);
        int exitCode;
        await using (stopped)
        {
            await AcceptAllAsync(stopped, ids);

            stopped.Signal(FunctionProcess.SigTerm);
            exitCode = await stopped.WaitForExitAsync(s_timeout);
        }

        var handedOff = stopped.Logs.Count(s_taskHandedOff.Matches);
        var countedBeforeRestart = await CountedAsync(run);
        var queuedBeforeRestart = await QueuedAsync();
        await using var next = await StartTallyAsync(delayMilliseconds: 50, taskTimeoutSeconds: 60);
        await Poll.UntilAsync(async () => (await CountedAsync(run)).Count == Items, s_timeout, $"all {Items} items counted by the next instance");
        await Poll.UntilAsync(async () => await QueuedAsync() == 0, s_timeout, "tally-jobs to be empty");

        Assert.Equal(0, exitCode);
        Assert.Equal(Items, handedOff);
        Assert.Empty(countedBeforeRestart);
        Assert.Equal(Items, queuedBeforeRestart);
        Assert.Equal(ids.Order(StringComparer.Ordinal), (await CountedAsync(run)).Order(StringComparer.Ordinal));
        Assert.All(ids, id => Assert.Single(next.Logs, l => s_counted.Matches(l) && l.Raw.Contains('"' + id + '"', StringComparison.Ordinal)));
        Assert.Empty(await PoisonedAsync());
    }

    private Task<FunctionProcess> StartTallyAsync(int delayMilliseconds, int taskTimeoutSeconds, int? graceSeconds = null, int? drainBudgetSeconds = null)
    {
        var environment = new Dictionary<string, string?>
        {
            [SettingNames.ToEnvironmentVariable(SettingNames.StorageConnectionString)] = stack.Azurite.ConnectionString,
            [SettingNames.ToEnvironmentVariable(SettingNames.FunctionKey)] = StackFixture.Key,
            [SettingNames.ToEnvironmentVariable(SettingNames.TaskTimeoutSeconds)] = taskTimeoutSeconds.ToString(CultureInfo.InvariantCulture),
            [SettingNames.ToEnvironmentVariable(SettingNames.JobsMaxPollIntervalMilliseconds)] = "200",
            [SettingNames.ToEnvironmentVariable(SettingNames.FunctionMaxConcurrentBodyRequests)] = "64",
            ["Count__DelayMilliseconds"] = delayMilliseconds.ToString(CultureInfo.InvariantCulture),
        };
        if (graceSeconds is { } grace)
        {
            environment[SettingNames.ToEnvironmentVariable(SettingNames.TerminationGracePeriodSeconds)] = grace.ToString(CultureInfo.InvariantCulture);
        }

        if (drainBudgetSeconds is { } drain)
        {
            environment[SettingNames.ToEnvironmentVariable(SettingNames.DrainBudgetSeconds)] = drain.ToString(CultureInfo.InvariantCulture);
        }

        return FunctionProcess.StartAsync(FunctionApps.TestFunctionAssemblyPath(FunctionProject.Tally), environment);
    }

    private static async Task AcceptAllAsync(FunctionProcess tally, IEnumerable<string> ids)
    {
        var answers = await Task.WhenAll(ids.Select(async id =>
        {
            using var response = await StackFixture.SendAsync(tally, HttpMethod.Post, "/items", $$"""{"id":"{{id}}"}""");
            return response.StatusCode;
        }));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Accepted, a));
    }

    private async Task<List<string>> CountedAsync(string run)
    {
        var counted = new List<string>();
        await foreach (var blob in stack.Uploads.GetBlobsAsync(BlobTraits.None, BlobStates.None, CountHandler.Prefix + run + "-", CancellationToken.None))
        {
            counted.Add(blob.Name[CountHandler.Prefix.Length..]);
        }

        return counted;
    }

    private async Task<int> QueuedAsync() => (await stack.Azurite.WorkQueue(FunctionProject.Tally).GetPropertiesAsync()).Value.ApproximateMessagesCount;

    private async Task<IReadOnlyList<Azure.PoisonedWork>> PoisonedAsync() => await stack.PeekPoisonAsync(FunctionProject.Tally);
}
