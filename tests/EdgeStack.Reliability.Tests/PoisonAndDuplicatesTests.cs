using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Azure.Storage.Blobs.Specialized;
using EdgeStack.Azure;
using EdgeStack.Contracts;
using EdgeStack.Functions.Upload;
using EdgeStack.Functions.Worker;
using EdgeStack.Testing;
using Xunit.Abstractions;

namespace EdgeStack.Reliability.Tests;

/// <summary>
/// Scenario 4: malformed messages, unknown handlers, work of another function's handler, handlers that fail always or
/// sometimes, duplicate deliveries, on the own queues of <c>upload</c> and <c>worker</c>, each consumed by its function.
/// </summary>
[Collection(ReliabilityCollection.Name)]
[Trait("Category", "Reliability")]
public sealed class PoisonAndDuplicatesTests(ReliabilityStack stack, ITestOutputHelper output) : IClassFixture<ReliabilityStack>
{
    private const int MaxDequeueCount = 3;
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(120);
    private static readonly string[] s_suffixes = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];

    [Fact]
    public async Task Consumers_PoisonFailuresAndDuplicates_NeverStopAndNeverRepeatASideEffect()
    {
        var random = new Random(ReliabilityRun.Seed);
        var n = ReliabilityRun.Pick(4, 20);
        output.WriteLine($"seed {ReliabilityRun.Seed}, {n} of each kind ({ReliabilityRun.Mode})");
        var clock = Stopwatch.StartNew();
        var settings = new Dictionary<string, string>
        {
            [SettingNames.JobsMaxDequeueCount] = MaxDequeueCount.ToString(CultureInfo.InvariantCulture),
            [SettingNames.JobsRetryBaseDelaySeconds] = "1",
            ["Jobs:MaxRetryDelaySeconds"] = "1",
            [SettingNames.JobsMaxPollIntervalMilliseconds] = "200",
        };
        await using var upload = await stack.StartAsync(ReliabilityStack.Upload, settings);
        await using var worker = await stack.StartAsync(ReliabilityStack.Worker, settings);
        var uploadJobs = stack.WorkQueue(ReliabilityStack.Upload);
        var workerJobs = stack.WorkQueue(ReliabilityStack.Worker);
        var run = Guid.NewGuid().ToString("N")[..8];

        // Each poisoned message is found again by a marker in its text.
        var poisonAtOnce = new List<string>();
        var poisonAfterRetries = new List<string>();
        var sent = 0;
        async Task SendAsync(global::Azure.Storage.Queues.QueueClient queue, string text)
        {
            await queue.SendMessageAsync(text);
            sent++;
        }

        string Encode(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json));
        for (var i = 0; i < n; i++)
        {
            var m = $"m{run}x{i}";
            var bytes = new byte[64];
            random.NextBytes(bytes);

            // Alternately on each function's queue; "i" is work of the other function's handler, which this one does not run.
            var (queue, own, foreign) = i % 2 == 0 ? (uploadJobs, ReliabilityStack.Upload, ReportHandler.Name) : (workerJobs, ReliabilityStack.Worker, UploadHandler.Name);
            var malformed = new[]
            {
                $"garbage {m} {{not json",
                Encode($$"""{"id":"{{m}}a"}"""),
                Encode($$"""{"id":"{{m}}b","handler":"upload","payload":"{}","payloadRef":"staging/{{m}}.json"}"""),
                Encode($$"""{"id":"{{m}}c","handler":"upload","payloadRef":"../{{m}}.json"}"""),
                Encode($$"""{"id":"{{m}}d","handler":"upload","payloadRef":"{{AzureQueueDurableWorkQueue.StagingPrefix}}{{own}}/{{m}}-missing.json"}"""),
                Encode($$"""[{"id":"{{m}}e"}]"""),
                Encode($$"""{"id":"{{m}}f","handler":"upload","payload":12}"""),
                m + "g" + Convert.ToBase64String(bytes),
                Encode($$"""{"id":"{{m}}h","handler":"no-such-handler-{{i}}","payload":"{}"}"""),
                Encode($$"""{"id":"{{m}}i","handler":"{{foreign}}","payload":"{}"}"""),
            };
            foreach (var text in malformed)
            {
                await SendAsync(queue, text);
            }

            poisonAtOnce.AddRange(s_suffixes.Select(s => m + s));
            poisonAtOnce.Add(m);

            var bad = $"bad{run}x{i}";
            await SendAsync(uploadJobs, AzureQueueDurableWorkQueue.EncodeMessage(new DurableWorkEnvelope(bad + "a", UploadHandler.Name, new UploadWork("../" + bad, "{}").ToJson())));
            await SendAsync(uploadJobs, AzureQueueDurableWorkQueue.EncodeMessage(new DurableWorkEnvelope(bad + "b", UploadHandler.Name, "not json " + bad)));
            await SendAsync(workerJobs, AzureQueueDurableWorkQueue.EncodeMessage(new DurableWorkEnvelope(bad + "c", ReportHandler.Name, new ReportWork(bad, Steps: -1).ToJson())));
            poisonAfterRetries.AddRange([bad + "a", bad + "b", bad + "c"]);
        }

        // Sometimes failing: the blob is leased by someone else until the first failure has been retried.
        var flaky = Enumerable.Range(0, Math.Max(2, n / 4)).Select(i => (Work: $"flaky{run}x{i}", Id: $"flaky-{run}-{i}")).ToList();
        var leases = new List<BlobLeaseClient>();
        foreach (var (work, id) in flaky)
        {
            var blob = stack.Uploads.GetBlobClient(UploadHandler.BlobName(id));
            await blob.UploadAsync(BinaryData.FromString("""{"older":true}"""));
            var lease = blob.GetBlobLeaseClient();
            await lease.AcquireAsync(TimeSpan.FromSeconds(-1));
            leases.Add(lease);
            await SendAsync(uploadJobs, AzureQueueDurableWorkQueue.EncodeMessage(new DurableWorkEnvelope(work, UploadHandler.Name, new UploadWork(id, $$"""{"id":"{{id}}"}""").ToJson())));
        }

        // Duplicate deliveries of the same work: 2–3 copies each, uploads and reports.
        var duplicates = Enumerable.Range(0, n).Select(i => (Work: $"dup{run}x{i}", Id: $"dup-{run}-{i}", Copies: random.Next(2, 4))).ToList();
        foreach (var (work, id, copies) in duplicates)
        {
            var uploadWork = AzureQueueDurableWorkQueue.EncodeMessage(new DurableWorkEnvelope(work, UploadHandler.Name, new UploadWork(id, $$"""{"id":"{{id}}"}""").ToJson()));
            var report = AzureQueueDurableWorkQueue.EncodeMessage(new DurableWorkEnvelope(work + "r", ReportHandler.Name, new ReportWork(id, 1, 10).ToJson()));
            for (var c = 0; c < copies; c++)
            {
                await SendAsync(uploadJobs, uploadWork);
                await SendAsync(workerJobs, report);
            }
        }

        foreach (var (work, _) in flaky)
        {
            await upload.WaitForLineAsync(l => Events.WorkRetryScheduled.Matches(l) && l.Contains(work, StringComparison.Ordinal), s_timeout);
        }

        foreach (var lease in leases)
        {
            await lease.BreakAsync(TimeSpan.Zero);
        }

        var poisoned = new List<PoisonedWork>();
        bool IsPoisoned(string marker) => poisoned.Any(p => ReliabilityStack.Holds(p, marker));
        await Poll.UntilAsync(
            async () =>
            {
                poisoned.AddRange(await stack.ReadPoisonAsync());
                return poisonAtOnce.Concat(poisonAfterRetries).All(IsPoisoned) && await stack.JobsCountAsync() == 0;
            },
            s_timeout,
            "every bad message in its function's poison queue and the work queues empty");
        var canary = $"canary-{run}";
        using var queued = await LoadLoop.CreateClient(worker.BaseAddress).SendAsync(new HttpRequestMessage(HttpMethod.Post, new Uri("/jobs", UriKind.Relative))
        {
            Content = new StringContent($$"""{"id":"{{canary}}","steps":1,"stepMilliseconds":10}""", Encoding.UTF8, "application/json"),
            Headers = { { "apikey", stack.KeyOf(ReliabilityStack.Worker) } },
        });
        await worker.WaitForLineAsync(l => Events.ReportCompleted.Matches(l) && l.Contains(canary, StringComparison.Ordinal), s_timeout);
        using var live = await worker.Client.GetAsync(new Uri(Routes.Liveness, UriKind.Relative));
        using var uploadLive = await upload.Client.GetAsync(new Uri(Routes.Liveness, UriKind.Relative));

        // The id in quotes: dup-…-1 must not count the lines of dup-…-10.
        int Count(FunctionProcess app, LogEvent logEvent, string id) => app.Logs.Count(l => logEvent.Matches(l) && l.Raw.Contains('"' + id + '"', StringComparison.Ordinal));
        var repeatedUploads = duplicates.Concat(flaky.Select(f => (f.Work, f.Id, Copies: 1))).Where(d => Count(upload, Events.UploadCompleted, d.Id) != 1).Select(d => d.Id).ToList();
        var repeatedReports = duplicates.Where(d => Count(worker, Events.ReportCompleted, d.Id) != 1).Select(d => d.Id).ToList();
        var missing = await stack.MissingUploadsAsync(duplicates.Concat(flaky.Select(f => (f.Work, f.Id, Copies: 1))).ToDictionary(d => d.Id, d => $$"""{"id":"{{d.Id}}"}"""));
        var wrongDequeues = poisonAfterRetries.Where(m => poisoned.First(p => ReliabilityStack.Holds(p, m)).DequeueCount != MaxDequeueCount).ToList();
        var earlyPoison = poisonAtOnce.Where(m => poisoned.First(p => ReliabilityStack.Holds(p, m)).DequeueCount != 1).ToList();
        var withoutReason = poisoned.Count(p => string.IsNullOrWhiteSpace(p.Reason));
        new ScenarioResult
        {
            Number = 4,
            Scenario = "poison-and-duplicates",
            Title = "Poison messages and duplicates",
            LoadHeld = $"{sent} messages put on upload-jobs and worker-jobs at once, each consumed by its own function (16 at a time)",
            FaultsInjected = $"{poisonAtOnce.Count} malformed, unknown-handler or other-function messages (10 kinds), {poisonAfterRetries.Count} that always fail (3 kinds), {flaky.Count} that fail until a blob lease is broken, {duplicates.Sum(d => d.Copies) * 2} deliveries of {duplicates.Count * 2} works (2–3 copies each)",
            InputsTried = $"{sent} queue messages + 1 canary job",
            RequestsAccepted = sent,
            WorkLost = missing.Count + poisonAtOnce.Concat(poisonAfterRetries).Count(m => !IsPoisoned(m)),
            DurationSeconds = clock.Elapsed.TotalSeconds,
            Details =
            [
                ["poisoned at once / after the retries (dequeue count)", $"{poisonAtOnce.Count} (1) / {poisonAfterRetries.Count} ({MaxDequeueCount})"],
                ["poison messages without a reason", withoutReason.ToString(CultureInfo.InvariantCulture)],
                ["sometimes-failing works stored once after retrying", $"{flaky.Count - flaky.Count(f => repeatedUploads.Contains(f.Id))} of {flaky.Count}"],
                ["side effects repeated by a duplicate (uploads, reports)", $"{repeatedUploads.Count}, {repeatedReports.Count}"],
                ["upload or worker exited / canary job after the storm", $"{upload.HasExited || worker.HasExited} / done, /healthz {(int)uploadLive.StatusCode} and {(int)live.StatusCode}"],
            ],
        }.Write();

        Assert.False(worker.HasExited);
        Assert.False(upload.HasExited);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, uploadLive.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, queued.StatusCode);
        Assert.Empty(missing);
        Assert.Empty(repeatedUploads);
        Assert.Empty(repeatedReports);
        Assert.Empty(wrongDequeues);
        Assert.Empty(earlyPoison);
        Assert.Equal(0, withoutReason);
    }
}
