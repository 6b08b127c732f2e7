using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using EdgeStack.Azure;
using EdgeStack.Contracts;
using EdgeStack.Testing;
using Xunit.Abstractions;

namespace EdgeStack.Reliability.Tests;

/// <summary>
/// Scenario 3: SIGKILL either of two <c>upload</c> instances at random moments under load, then restart it: the one under load,
/// or a second replica that only consumes <c>upload-jobs</c>. What a killed instance had accepted is finished from the
/// function's own queue by its other replica or its next instance.
/// </summary>
[Collection(ReliabilityCollection.Name)]
[Trait("Category", "Reliability")]
public sealed class CrashTests(ReliabilityStack stack, ITestOutputHelper output) : IClassFixture<ReliabilityStack>
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(120);

    private static readonly Dictionary<string, string> s_upload = new()
    {
        // Hidden for 4 + 5 s after a kill, then an upload instance takes the work from upload-jobs.
        [SettingNames.TaskTimeoutSeconds] = "4",
        [SettingNames.UploadProcessingDelayMilliseconds] = "200",
        [SettingNames.JobsMaxPollIntervalMilliseconds] = "200",
        [SettingNames.JobsRetryBaseDelaySeconds] = "1",
    };

    [Fact]
    public async Task Upload_SigkillAtRandomMoments_EveryAcceptedUploadEndsInStorageNoneInPoison()
    {
        var random = new Random(ReliabilityRun.Seed);
        var kills = ReliabilityRun.Pick(4, 12);
        output.WriteLine($"seed {ReliabilityRun.Seed}, {kills} kills ({ReliabilityRun.Mode})");
        var clock = Stopwatch.StartNew();
        var uploadPort = FunctionProcess.FreePort();
        var replicaPort = FunctionProcess.FreePort();
        var processes = new List<FunctionProcess>();
        try
        {
            var upload = await stack.StartAsync(ReliabilityStack.Upload, s_upload, uploadPort);
            var replica = await stack.StartAsync(ReliabilityStack.Upload, s_upload, replicaPort);
            processes.AddRange([upload, replica]);
            using var client = LoadLoop.CreateClient(upload.BaseAddress);
            var bodies = new ConcurrentDictionary<string, string>();
            var load = new LoadLoop();
            using var stop = new CancellationTokenSource();
            var running = load.RunAsync(4, int.MaxValue, TimeSpan.FromMinutes(10), (i, ct) =>
            {
                var id = string.Create(CultureInfo.InvariantCulture, $"crash-{i}-{Guid.NewGuid():N}");
                var body = string.Create(CultureInfo.InvariantCulture, $$"""{"id":"{{id}}","n":{{i}}}""");
                bodies[id] = body;
                return LoadLoop.SendAsync(client, "upload", id, HttpMethod.Post, "/", stack.KeyOf(ReliabilityStack.Upload), body, b => b == """{"status":"processing"}""", ct);
            }, stop.Token);

            var killed = new List<string>();
            for (var k = 0; k < kills; k++)
            {
                await load.WaitForAcceptedAsync(load.Accepted + random.Next(5, 40), s_timeout);
                var killReplica = random.Next(2) == 1;
                var victim = killReplica ? replica : upload;
                victim.Signal(FunctionProcess.SigKill);
                await victim.WaitForExitAsync(s_timeout);
                killed.Add(killReplica ? "replica" : "loaded");
                var restarted = await stack.StartAsync(ReliabilityStack.Upload, s_upload, killReplica ? replicaPort : uploadPort);
                processes.Add(restarted);
                if (killReplica)
                {
                    replica = restarted;
                }
                else
                {
                    upload = restarted;
                }
            }

            await load.WaitForAcceptedAsync(load.Accepted + 20, s_timeout);
            await stop.CancelAsync();
            await running;

            var results = load.Results;
            var uploads = results.Where(r => r.Accepted).ToDictionary(r => r.Id, r => bodies[r.Id]);
            // Every upload here is valid, so poison is no place for one: waiting ends early on one that went there, and
            // it counts as lost.
            var poisoned = new List<PoisonedWork>();
            async Task<List<string>> UnaccountedAsync()
            {
                poisoned.AddRange(await stack.ReadPoisonAsync());
                var missing = await stack.MissingUploadsAsync(uploads);
                return missing.Where(id => !poisoned.Any(p => ReliabilityStack.Holds(p, id))).ToList();
            }

            await Poll.UntilAsync(async () => (await UnaccountedAsync()).Count == 0, s_timeout, "every accepted upload in storage or upload-jobs-poison");
            var lost = await stack.MissingUploadsAsync(uploads);
            var poisonedUploads = poisoned.Where(p => uploads.Keys.Any(id => ReliabilityStack.Holds(p, id))).ToList();
            var stored = uploads.Keys.Except(await stack.MissingUploadsAsync(uploads)).ToDictionary(id => id, id => uploads[id]);
            var wrong = await stack.WrongBodiesAsync(stored);
            var fromQueue = processes.Sum(p => p.Logs.Count(l => Events.WorkReceived.Matches(l)));
            var byReplica = processes.Where(p => p.BaseAddress.Port == replicaPort).Sum(p => p.Logs.Count(l => Events.UploadCompleted.Matches(l)));
            var repeats = processes.Sum(p => p.Logs.Count(l => Events.UploadAlreadyDone.Matches(l)));
            output.WriteLine($"taken from upload-jobs {fromQueue}, stored by the replica {byReplica}, already done {repeats}, accepted {uploads.Count}, killed {string.Join(",", killed)}");
            foreach (var line in processes.SelectMany(p => p.Logs).Where(l => l.LogLevel is "Warning" or "Error" && l.Category != "Azure.Core").Take(20))
            {
                output.WriteLine(line.Raw.Length > 400 ? line.Raw[..400] : line.Raw);
            }

            new ScenarioResult
            {
                Number = 3,
                Scenario = "crash",
                Title = "Crash (SIGKILL)",
                LoadHeld = "4 concurrent senders on upload POST / (200 ms of processing each) through every kill and restart",
                FaultsInjected = $"{kills} × SIGKILL at random moments (after 5–40 more accepted uploads) of one of two upload instances: {killed.Count(k => k == "loaded")} the one under load, {killed.Count(k => k == "replica")} the replica; each restarted on its port",
                InputsTried = $"{results.Count} requests ({results.Count(r => r.NoAnswer)} met a dead or restarting process)",
                RequestsAccepted = uploads.Count,
                WorkLost = lost.Count + wrong.Count,
                DurationSeconds = clock.Elapsed.TotalSeconds,
                Details =
                [
                    ["accepted uploads in storage / in upload-jobs-poison", $"{stored.Count} / {poisonedUploads.Count}"],
                    ["work taken from upload-jobs after a kill (by the replica or the next instance)", fromQueue.ToString(CultureInfo.InvariantCulture)],
                    ["truncated answers, 5xx", $"{results.Count(r => r.Truncated)}, {results.Count(r => r.ServerError)}"],
                ],
            }.Write();

            Assert.Empty(poisonedUploads);
            Assert.Empty(lost);
            Assert.Empty(wrong);
            Assert.DoesNotContain(results, r => r.Truncated);
            Assert.DoesNotContain(results, r => r.ServerError);
        }
        finally
        {
            foreach (var process in processes)
            {
                await process.DisposeAsync();
            }
        }
    }
}
