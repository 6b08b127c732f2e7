using System.Diagnostics;
using System.Globalization;
using EdgeStack.Contracts;
using EdgeStack.Testing;
using Xunit.Abstractions;

namespace EdgeStack.Reliability.Tests;

/// <summary>
/// Scenario 1: SIGTERM to <c>upload</c> and <c>hello</c> in the middle of sustained load, several times. What an upload
/// instance hands back to <c>upload-jobs</c> is finished by the next one (the next repetition's, or one started at the end).
/// </summary>
[Collection(ReliabilityCollection.Name)]
[Trait("Category", "Reliability")]
public sealed class SigtermUnderLoadTests(ReliabilityStack stack, ITestOutputHelper output) : IClassFixture<ReliabilityStack>
{
    private const int GraceSeconds = 10;
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task UploadAndHello_SigtermUnderLoad_EveryAcceptedRequestIsAnsweredAndStored()
    {
        var random = new Random(ReliabilityRun.Seed);
        var repetitions = ReliabilityRun.Pick(2, 6);
        output.WriteLine($"seed {ReliabilityRun.Seed}, {repetitions} repetitions ({ReliabilityRun.Mode})");
        var clock = Stopwatch.StartNew();
        await using var analytics = await stack.StartAsync(ReliabilityStack.Analytics);
        var uploads = new Dictionary<string, string>();
        var results = new List<LoadResult>();
        var exitTimes = new List<double>();
        var dropped = new List<LoadResult>();
        var failures = new List<string>();
        var fromQueue = 0;

        for (var rep = 0; rep < repetitions; rep++)
        {
            var runtime = new Dictionary<string, string>
            {
                [SettingNames.TerminationGracePeriodSeconds] = GraceSeconds.ToString(CultureInfo.InvariantCulture),
            };
            var helloTask = stack.StartAsync(ReliabilityStack.Hello, new Dictionary<string, string>(stack.HelloSettings(analytics.BaseAddress)) { [SettingNames.TerminationGracePeriodSeconds] = "10" });
            var uploadTask = stack.StartAsync(ReliabilityStack.Upload, new Dictionary<string, string>(runtime)
            {
                [SettingNames.UploadProcessingDelayMilliseconds] = "300",
                [SettingNames.JobsMaxPollIntervalMilliseconds] = "200",
            });
            await using var hello = await helloTask;
            await using var upload = await uploadTask;
            using var helloClient = LoadLoop.CreateClient(hello.BaseAddress);
            using var uploadClient = LoadLoop.CreateClient(upload.BaseAddress);
            var bodies = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();
            var load = new LoadLoop();
            using var stop = new CancellationTokenSource();
            var running = load.RunAsync(8, int.MaxValue, s_timeout, (i, ct) =>
            {
                if (i % 2 == 0)
                {
                    return LoadLoop.SendAsync(helloClient, "hello", "", HttpMethod.Get, "/", stack.KeyOf(ReliabilityStack.Hello), null, b => b == "Hello World", ct);
                }

                var id = string.Create(CultureInfo.InvariantCulture, $"sig{rep}-{i}-{Guid.NewGuid():N}");
                var body = string.Create(CultureInfo.InvariantCulture, $$"""{"id":"{{id}}","n":{{i}},"pad":"{{new string('p', i % 500)}}"}""");
                bodies[id] = body;
                return LoadLoop.SendAsync(uploadClient, "upload", id, HttpMethod.Post, "/", stack.KeyOf(ReliabilityStack.Upload), body, b => b == """{"status":"processing"}""", ct);
            }, stop.Token);

            // A random moment in the load: after a random number of accepted requests.
            var moment = random.Next(ReliabilityRun.Pick(40, 200), ReliabilityRun.Pick(120, 800));
            await load.WaitForAcceptedAsync(moment, s_timeout);
            var signalledAt = Stopwatch.GetTimestamp();
            var signalled = Stopwatch.StartNew();
            hello.Signal(FunctionProcess.SigTerm);
            upload.Signal(FunctionProcess.SigTerm);
            var helloExit = await hello.WaitForExitAsync(s_timeout);
            var helloExitAfter = signalled.Elapsed;
            var uploadExit = await upload.WaitForExitAsync(s_timeout);
            var uploadExitAfter = signalled.Elapsed;
            await stop.CancelAsync();
            await running;

            var repResults = load.Results;

            // In flight at SIGTERM: sent before the signal. Those must be answered; a connection reset after it is the
            // closing listener (it may have been queued for accept), the same as a refused one.
            dropped.AddRange(repResults.Where(r => r.Dropped && r.Started < signalledAt));
            fromQueue += upload.Logs.Count(l => Events.WorkReceived.Matches(l));
            results.AddRange(repResults);
            foreach (var accepted in repResults.Where(r => r.Accepted && r.Target == "upload"))
            {
                uploads[accepted.Id] = bodies[accepted.Id];
            }

            exitTimes.Add(Math.Max(helloExitAfter.TotalSeconds, uploadExitAfter.TotalSeconds));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rep {rep}: SIGTERM after {moment} accepted; {repResults.Count(r => r.Accepted)} accepted, {repResults.Count(r => r.NoAnswer && !r.Dropped)} refused by a closed listener, {repResults.Count(r => r.Dropped && r.Started >= signalledAt)} reset by it, {repResults.Count(r => r.Dropped && r.Started < signalledAt)} dropped in flight; exits {helloExit}/{uploadExit} after {helloExitAfter.TotalSeconds:0.00}/{uploadExitAfter.TotalSeconds:0.00} s"));
            foreach (var (name, app, code, after) in new[] { ("hello", hello, helloExit, helloExitAfter), ("upload", upload, uploadExit, uploadExitAfter) })
            {
                var beforeUnload = app.Logs.Where(Events.IsBeforeUnload).ToList();
                if (code != 0)
                {
                    failures.Add($"rep {rep}: {name} exit code {code}");
                }

                if (after >= TimeSpan.FromSeconds(GraceSeconds))
                {
                    failures.Add($"rep {rep}: {name} exited after {after}, not before the grace period of {GraceSeconds} s");
                }

                if (beforeUnload.Count != 1 || !beforeUnload[0].Raw.Contains("termination", StringComparison.Ordinal))
                {
                    failures.Add($"rep {rep}: {name} raised BeforeUnload {beforeUnload.Count} times");
                }
            }
        }

        // The function's next instance finishes whatever the last one handed back.
        await using var next = await stack.StartAsync(ReliabilityStack.Upload, new Dictionary<string, string> { [SettingNames.JobsMaxPollIntervalMilliseconds] = "200" });
        var acceptedHello = results.Count(r => r.Accepted && r.Target == "hello");
        await Poll.UntilAsync(async () => (await stack.MissingUploadsAsync(uploads)).Count == 0, s_timeout, "every accepted upload in storage");
        fromQueue += next.Logs.Count(l => Events.WorkReceived.Matches(l));
        await Poll.UntilAsync(async () => await stack.CountEventsAsync("hello") >= acceptedHello, s_timeout, "an analytics event for every accepted hello");
        var missing = await stack.MissingUploadsAsync(uploads);
        var wrong = await stack.WrongBodiesAsync(uploads);
        var events = await stack.CountEventsAsync("hello");
        var poisoned = await stack.ReadPoisonAsync();
        var truncated = results.Where(r => r.Truncated).ToList();
        var serverErrors = results.Where(r => r.ServerError).ToList();
        new ScenarioResult
        {
            Number = 1,
            Scenario = "sigterm-under-load",
            Title = "SIGTERM under load",
            LoadHeld = $"8 concurrent senders, hello GET / and upload POST / alternating; SIGTERM after 40–{ReliabilityRun.Pick(120, 800)} accepted requests",
            FaultsInjected = $"{repetitions} × SIGTERM to hello and upload mid-load (grace {GraceSeconds} s)",
            InputsTried = $"{results.Count} requests ({results.Count(r => r.NoAnswer) - dropped.Count} met a closed listener after SIGTERM)",
            RequestsAccepted = results.Count(r => r.Accepted),
            WorkLost = missing.Count + wrong.Count + Math.Max(0, acceptedHello - events) + truncated.Count + dropped.Count,
            DurationSeconds = clock.Elapsed.TotalSeconds,
            Details =
            [
                ["uploads accepted / stored", $"{uploads.Count} / {uploads.Count - missing.Count} (bodies intact: {uploads.Count - wrong.Count}; taken from upload-jobs by a next instance: {fromQueue})"],
                ["hello accepted / events stored", $"{acceptedHello} / {events}"],
                ["truncated answers, requests in flight at SIGTERM dropped without an answer, 5xx", $"{truncated.Count}, {dropped.Count}, {serverErrors.Count}"],
                ["exit after SIGTERM (slowest of the pair)", $"{string.Join(", ", exitTimes.Select(t => t.ToString("0.00", CultureInfo.InvariantCulture)))} s; all exit codes 0: {failures.All(f => !f.Contains("exit code ", StringComparison.Ordinal))}"],
                ["BeforeUnload(termination) per instance", failures.Any(f => f.Contains("BeforeUnload", StringComparison.Ordinal)) ? "not once" : "once"],
            ],
        }.Write();

        Assert.Empty(failures);
        Assert.Empty(truncated);
        Assert.Empty(dropped);
        Assert.Empty(serverErrors);
        Assert.Empty(missing);
        Assert.Empty(wrong);
        Assert.Equal(acceptedHello, events);
        Assert.Empty(poisoned);
    }
}
