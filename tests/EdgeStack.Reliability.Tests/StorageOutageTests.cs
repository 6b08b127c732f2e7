using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using EdgeStack.Contracts;
using EdgeStack.Testing;
using Xunit.Abstractions;

namespace EdgeStack.Reliability.Tests;

/// <summary>Scenario 2: Azurite goes away for 10 s under load and comes back on the same ports and data.</summary>
[Collection(ReliabilityCollection.Name)]
[Trait("Category", "Reliability")]
public sealed class StorageOutageTests(ReliabilityStack stack, ITestOutputHelper output) : IClassFixture<ReliabilityStack>
{
    private static readonly TimeSpan s_outage = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(120);

    // How long after storage is back a batch can still be given up on: every send attempt of the analytics client
    // waiting out its HTTP timeout (10 s) on a sink still retrying storage, plus the back-off between attempts.
    private static readonly TimeSpan s_giveUpAfterRestart = TimeSpan.FromSeconds((10 * new Azure.AnalyticsOptions().MaxSendAttempts) + 1);

    [Fact]
    public async Task Apps_StorageOutageUnderLoad_StayLiveAndEveryAcceptedWriteLandsOrIsReported()
    {
        var outages = ReliabilityRun.Pick(1, 2);
        output.WriteLine($"seed {ReliabilityRun.Seed}, {outages} outages of {s_outage.TotalSeconds} s ({ReliabilityRun.Mode})");
        var clock = Stopwatch.StartNew();
        var runtime = new Dictionary<string, string> { [SettingNames.TaskTimeoutSeconds] = "10" };
        await using var analytics = await stack.StartAsync(ReliabilityStack.Analytics);
        await using var worker = await stack.StartAsync(ReliabilityStack.Worker, new Dictionary<string, string>(runtime)
        {
            [SettingNames.JobsMaxPollIntervalMilliseconds] = "250",
            [SettingNames.JobsRetryBaseDelaySeconds] = "1",
        });
        await using var hello = await stack.StartAsync(ReliabilityStack.Hello, stack.HelloSettings(analytics.BaseAddress));
        await using var upload = await stack.StartAsync(ReliabilityStack.Upload, new Dictionary<string, string>(runtime) { [SettingNames.UploadProcessingDelayMilliseconds] = "100" });
        var apps = new[] { ("analytics", analytics), ("worker", worker), ("hello", hello), ("upload", upload) };
        using var helloClient = LoadLoop.CreateClient(hello.BaseAddress);
        using var uploadClient = LoadLoop.CreateClient(upload.BaseAddress);
        var bodies = new ConcurrentDictionary<string, string>();
        // Two loops, so uploads waiting on storage never starve hello (its analytics events go through the sink to storage).
        var helloLoad = new LoadLoop();
        var uploadLoad = new LoadLoop();
        using var stop = new CancellationTokenSource();
        var running = Task.WhenAll(
            helloLoad.RunAsync(2, int.MaxValue, TimeSpan.FromMinutes(5), (_, ct) =>
                LoadLoop.SendAsync(helloClient, "hello", "", HttpMethod.Get, "/", stack.KeyOf(ReliabilityStack.Hello), null, b => b == "Hello World", ct), stop.Token, TimeSpan.FromMilliseconds(20)),
            uploadLoad.RunAsync(4, int.MaxValue, TimeSpan.FromMinutes(5), (i, ct) =>
            {
                var id = string.Create(CultureInfo.InvariantCulture, $"out-{i}-{Guid.NewGuid():N}");
                var body = string.Create(CultureInfo.InvariantCulture, $$"""{"id":"{{id}}","n":{{i}}}""");
                bodies[id] = body;
                return LoadLoop.SendAsync(uploadClient, "upload", id, HttpMethod.Post, "/", stack.KeyOf(ReliabilityStack.Upload), body, b => b == """{"status":"processing"}""", ct);
            }, stop.Token));

        var probes = 0;
        var probeFailures = new List<string>();
        var windows = new List<(DateTimeOffset Down, DateTimeOffset Up)>();
        for (var outage = 0; outage < outages; outage++)
        {
            await uploadLoad.WaitForAcceptedAsync(uploadLoad.Accepted + ReliabilityRun.Pick(40, 150), s_timeout);
            var downAt = DateTimeOffset.UtcNow;
            await stack.Azurite.StopAsync(graceful: true);
            var down = Stopwatch.StartNew();

            // The outage lasts 10 s; liveness is probed on every app all along.
            while (down.Elapsed < s_outage)
            {
                foreach (var (name, app) in apps)
                {
                    probes++;
                    try
                    {
                        using var live = await app.Client.GetAsync(new Uri(Routes.Liveness, UriKind.Relative));
                        if (live.StatusCode != HttpStatusCode.OK)
                        {
                            probeFailures.Add($"{name} /healthz {(int)live.StatusCode} at {down.Elapsed.TotalSeconds:0.0} s");
                        }
                    }
                    catch (HttpRequestException exception)
                    {
                        probeFailures.Add($"{name} /healthz failed at {down.Elapsed.TotalSeconds:0.0} s: {exception.Message}");
                    }
                }

                await Task.Delay(250);
            }

            await stack.Azurite.StartAsync();
            windows.Add((downAt, DateTimeOffset.UtcNow));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"outage {outage}: storage down {down.Elapsed.TotalSeconds:0.0} s; {uploadLoad.Accepted} uploads and {helloLoad.Accepted} hellos accepted so far"));
            await uploadLoad.WaitForAcceptedAsync(uploadLoad.Accepted + ReliabilityRun.Pick(40, 150), s_timeout);
        }

        await stop.CancelAsync();
        await running;
        var results = helloLoad.Results.Concat(uploadLoad.Results).ToList();
        var uploads = results.Where(r => r.Accepted && r.Target == "upload").ToDictionary(r => r.Id, r => bodies[r.Id]);
        var acceptedHello = results.Count(r => r.Accepted && r.Target == "hello");
        await Poll.UntilAsync(async () => (await stack.MissingUploadsAsync(uploads)).Count == 0, s_timeout, "every accepted upload in storage after the outage");
        long Reported() =>
            LogState.Sum(hello.Logs, Events.AnalyticsSendFailed, "EventCount") + LogState.Sum(hello.Logs, Events.AnalyticsEventsDropped, "DroppedEvents");
        await Poll.UntilAsync(async () => await stack.CountEventsAsync("hello") + Reported() >= acceptedHello, s_timeout, "every hello event stored or reported dropped");

        var missing = await stack.MissingUploadsAsync(uploads);
        var wrong = await stack.WrongBodiesAsync(uploads);
        var events = await stack.CountEventsAsync("hello");
        var reported = Reported();
        var poisoned = await stack.ReadPoisonAsync();
        var serverErrors = results.Where(r => r.ServerError && r.Status != HttpStatusCode.ServiceUnavailable).ToList();
        var refused = results.Count(r => r.Status == HttpStatusCode.ServiceUnavailable);
        var exited = apps.Where(a => a.Item2.HasExited).Select(a => a.Item1).ToList();
        // A drop is explained only by the outage: every report of one comes while storage was down or while the batch in
        // hand was still being retried after it came back.
        var unexplainedDrops = hello.Logs
            .Where(l => Events.AnalyticsSendFailed.Matches(l) || Events.AnalyticsEventsDropped.Matches(l))
            .Where(l => l.Timestamp is not { } at || !windows.Any(w => at >= w.Down && at <= w.Up + s_giveUpAfterRestart))
            .Select(l => l.Raw)
            .ToList();
        var rejections = upload.Logs.Count(l => Events.TaskFailed.Matches(l));
        new ScenarioResult
        {
            Number = 2,
            Scenario = "storage-outage",
            Title = "Storage outage",
            LoadHeld = "2 senders on hello GET / (100 req/s), 4 on upload POST /, before, during and after each outage",
            FaultsInjected = $"{outages} × Azurite stopped for {s_outage.TotalSeconds:0} s, restarted on the same ports and data folder",
            InputsTried = $"{results.Count} requests, {probes} liveness probes during the outages",
            RequestsAccepted = results.Count(r => r.Accepted),
            WorkLost = missing.Count + wrong.Count + Math.Max(0, acceptedHello - events - reported),
            DurationSeconds = clock.Elapsed.TotalSeconds,
            Details =
            [
                ["uploads accepted / stored", $"{uploads.Count} / {uploads.Count - missing.Count} (in-process runs reported through UnhandledRejection, finished by upload from its own queue: {rejections})"],
                ["uploads refused with 503 while storage was down", refused.ToString(CultureInfo.InvariantCulture)],
                ["hello accepted / events stored / reported dropped (outside an outage)", $"{acceptedHello} / {events} / {reported} ({unexplainedDrops.Count})"],
                ["slowest accepted upload (waited for storage)", $"{results.Where(r => r.Accepted && r.Target == "upload").Max(r => r.Elapsed.TotalSeconds):0.0} s"],
                ["/healthz failures during outages", probeFailures.Count.ToString(CultureInfo.InvariantCulture)],
                ["other 5xx, apps that exited", $"{serverErrors.Count}, {exited.Count}"],
            ],
        }.Write();

        Assert.Empty(probeFailures);
        Assert.Empty(exited);
        Assert.Empty(serverErrors);
        Assert.DoesNotContain(results, r => r.Truncated);
        Assert.Empty(missing);
        Assert.Empty(wrong);
        Assert.Equal(acceptedHello, events + reported);
        Assert.Empty(unexplainedDrops);
        Assert.Empty(poisoned);
    }
}
