using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using EdgeStack.Blueprint;
using EdgeStack.Contracts;

namespace EdgeStack.Containers;

/// <summary>
/// Builds every function image from the one Dockerfile and tests the containers against Azurite, as the platform runs
/// them: host networking, each on its own port, stopped with <c>docker stop</c> (SIGTERM, then SIGKILL at the grace period).
/// </summary>
internal sealed class ContainerTest(ContainerTestOptions options, Report report) : IDisposable
{
    /// <summary>The seed's upload example the end-to-end, burst and hand-off checks run against.</summary>
    internal const string UploadFunction = "upload";

    /// <summary>The log category and event id the runtime writes when drain hands durable work back to its queue.</summary>
    private const string RuntimeCategory = "EdgeStack.Runtime";
    private const int TaskHandedOffEventId = 9;

    private const int GracePeriodSeconds = ComposeFile.GracePeriodSeconds;

    /// <summary>The hand-off run's grace period: drain budget 6 − 1 − 1 = 4 s, far shorter than its work.</summary>
    private const int ShortGracePeriodSeconds = 6;

    /// <summary>Issue 13's image size target for a Native AOT function, in the bytes <c>docker image inspect</c> gives (uncompressed).</summary>
    private const long MaxNativeAotImageBytes = 120_000_000;

    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StoredTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ConsumedTimeout = TimeSpan.FromSeconds(120);

    private readonly Docker _docker = new(options.RepositoryRoot);
    private readonly string _key = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private string ConnectionString => ComposeFile.ConnectionString("127.0.0.1", options.AzuritePortBase);

    private IReadOnlyList<FunctionDeclaration> Served => ComposeFile.Served(options.Functions);

    private FunctionDeclaration? Upload => Served.FirstOrDefault(f => f.Name == UploadFunction);

    private static string ContainerName(string function) => "edgestack-ct-" + function;

    private int Port(string function) => options.PortBase + 1 + options.Functions.Select(f => f.Name).ToList().IndexOf(function);

    public void Dispose() => _http.Dispose();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (!await BuildAsync(cancellationToken))
            {
                return;
            }

            await StartAzuriteAsync(cancellationToken);
            await RunFunctionsAsync(cancellationToken);
            if (Upload is not null)
            {
                await HandOffAsync(cancellationToken);
            }
            else
            {
                report.Step($"SKIPPED: no '{UploadFunction}' function here, so the upload, burst and hand-off checks did not run");
            }
        }
        finally
        {
            await CleanUpAsync();
        }

        if (options.Compose.Count > 0)
        {
            await new ComposeTest(options, report, _docker, _http).RunAsync(cancellationToken);
        }
    }

    /// <summary>One image per function, each from the one Dockerfile with its APP; after the first, the shared build stage comes from the cache.</summary>
    private async Task<bool> BuildAsync(CancellationToken cancellationToken)
    {
        report.Step($"building {options.Functions.Count} images from {StackPlanner.Dockerfile} (host network{(options.NoCache ? "; the first without the engine's cache" : "")})");
        var total = TimeSpan.Zero;
        foreach (var function in options.Functions)
        {
            var noCache = options.NoCache && function == options.Functions[0] ? ["--no-cache"] : Array.Empty<string>();
            var result = await _docker.RunAsync(
                ["build", "--network", "host", .. noCache, "-f", StackPlanner.Dockerfile, "--build-arg", $"{StackPlanner.DockerfileAppArgument}={function.Name}", "-t", ComposeFile.Image(function.Name), "."],
                BuildTimeout,
                cancellationToken);
            total += result.Elapsed;
            if (!report.Check($"{function.Name}: image builds", result.Succeeded, result.Succeeded ? Report.Seconds(result.Elapsed) : Tail(result.Output + result.Error)))
            {
                return false;
            }

            var size = long.Parse(await _docker.InspectAsync(ComposeFile.Image(function.Name), "{{.Size}}", cancellationToken), CultureInfo.InvariantCulture);
            var nativeAot = await PublishesNativeAotAsync(function, cancellationToken);
            report.Figure($"{function.Name}: build time, image size", $"{Report.Seconds(result.Elapsed)}, {Report.Megabytes(size)} ({(nativeAot ? "Native AOT" : "JIT, self-contained")})");
            if (nativeAot)
            {
                report.Target($"{function.Name}: Native AOT image within {Report.Megabytes(MaxNativeAotImageBytes)}", size <= MaxNativeAotImageBytes, $"{Report.Megabytes(size)}, {Report.Megabytes(await BaseImageSizeAsync(cancellationToken))} of it the base");
            }
        }

        report.Figure("all images: build time", $"{Report.Seconds(total)} for {options.Functions.Count} images");
        return true;
    }

    /// <summary>Whether the function's project publishes Native AOT: its csproj (and functions/Directory.Build.props) says, nothing else.</summary>
    private async Task<bool> PublishesNativeAotAsync(FunctionDeclaration function, CancellationToken cancellationToken)
    {
        var result = await CommandLine.RunAsync("dotnet", ["msbuild", function.ProjectPath, "-nologo", "-getProperty:PublishAot"], TimeSpan.FromMinutes(2), options.RepositoryRoot, cancellationToken: cancellationToken);
        return result.Succeeded
            ? string.Equals(result.Output.Trim(), "true", StringComparison.OrdinalIgnoreCase)
            : throw new InvalidOperationException($"Reading PublishAot of {function.ProjectPath} failed: {Tail(result.Output + result.Error)}");
    }

    /// <summary>The size of the image the Dockerfile's final stage starts FROM.</summary>
    private async Task<long> BaseImageSizeAsync(CancellationToken cancellationToken)
    {
        var from = DockerfileBaseImages.Final(await File.ReadAllTextAsync(Path.Combine(options.RepositoryRoot, StackPlanner.Dockerfile), cancellationToken));
        return long.Parse(await _docker.InspectAsync(from, "{{.Size}}", cancellationToken), CultureInfo.InvariantCulture);
    }

    private async Task StartAzuriteAsync(CancellationToken cancellationToken)
    {
        var p = options.AzuritePortBase;
        report.Step($"Azurite ({ComposeFile.AzuriteImage}) on 127.0.0.1:{p}-{p + 2}");
        await _docker.StartAsync(
            ContainerName(ComposeFile.AzuriteService),
            ComposeFile.AzuriteImage,
            new Dictionary<string, string>(),
            ["azurite", "--blobHost", "127.0.0.1", "--blobPort", $"{p}", "--queueHost", "127.0.0.1", "--queuePort", $"{p + 1}",
             "--tableHost", "127.0.0.1", "--tablePort", $"{p + 2}", "--location", "/data", "--skipApiVersionCheck", "--disableTelemetry", "--loose"],
            cancellationToken);
        foreach (var port in new[] { p, p + 1, p + 2 })
        {
            await WaitUntilAsync($"Azurite listening on {port}", StartTimeout, async ct =>
            {
                using var client = new TcpClient();
                try
                {
                    await client.ConnectAsync(IPAddress.Loopback, port, ct);
                    return true;
                }
                catch (SocketException)
                {
                    return false;
                }
            }, cancellationToken);
        }

        // What the functions declare, as the Pulumi program creates it in Azure (the apps create what they use at start too).
        foreach (var need in options.Functions.SelectMany(f => f.AllStorage).DistinctBy(s => (s.Kind, s.Name)))
        {
            if (need.Kind == StorageKind.Container)
            {
                await new BlobContainerClient(ConnectionString, need.Name).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            }
            else if (need.Kind == StorageKind.Queue)
            {
                await new QueueClient(ConnectionString, need.Name).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            }
        }
    }

    /// <summary>Every function's container: user, health on its own port, key, then (upload) the seed's example and a burst stopped mid-way; idle stops.</summary>
    private async Task RunFunctionsAsync(CancellationToken cancellationToken)
    {
        report.Step($"every function's container on its own port ({options.PortBase + 1}...), against Azurite");
        var eightyEightyFree = !await ListensAsync(8080, cancellationToken);
        report.Figure("port 8080 on this host", eightyEightyFree ? "free (a probe of 8080 would fail)" : "IN USE: a probe of 8080 would see another server");
        foreach (var function in Served)
        {
            // The upload's work takes a little while, so the burst below is still pending when SIGTERM comes; the burst is
            // about the drain, not the body concurrency limit (16 by default), so every upload of it is let in at once.
            var extra = function.Name == UploadFunction
                ? new Dictionary<string, string>
                {
                    [Env(SettingNames.UploadProcessingDelayMilliseconds)] = "5000",
                    [Env(SettingNames.FunctionMaxConcurrentBodyRequests)] = (options.Burst + 4).ToString(System.Globalization.CultureInfo.InvariantCulture),
                }
                : null;
            await StartFunctionAsync(function, ContainerName(function.Name), GracePeriodSeconds, extra, cancellationToken);
            await CheckFirstResponseAsync(function, cancellationToken);
        }

        foreach (var function in Served)
        {
            await CheckHealthAsync(function, cancellationToken);
            await CheckUserAsync(function, cancellationToken);
            await CheckKeyAsync(function, cancellationToken);
        }

        if (Upload is not null)
        {
            await CheckUploadExampleAsync(cancellationToken);
        }

        // Idle stops first: nothing else may finish the burst's work while the upload container drains. Analytics
        // clients before the sink, as serve stops them, so a client's last events still have somewhere to go.
        foreach (var function in Served.Where(f => f.Name != UploadFunction).OrderBy(f => f.Analytics == AnalyticsRole.Sink))
        {
            await CheckIdleStopAsync(function.Name, ContainerName(function.Name), cancellationToken);
        }

        if (Upload is not null)
        {
            await CheckBurstStopAsync(cancellationToken);
        }
    }

    private async Task StartFunctionAsync(FunctionDeclaration function, string container, int gracePeriodSeconds, IReadOnlyDictionary<string, string>? extra, CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, string>
        {
            [SettingNames.HttpPorts] = Port(function.Name).ToString(CultureInfo.InvariantCulture),
            [Env(SettingNames.FunctionName)] = function.Name,
            [Env(SettingNames.FunctionKey)] = _key,
            [Env(SettingNames.FunctionRequireKey)] = function.RequireKey ? "true" : "false",
            [Env(SettingNames.StorageConnectionString)] = ConnectionString,
            [Env(SettingNames.TerminationGracePeriodSeconds)] = gracePeriodSeconds.ToString(CultureInfo.InvariantCulture),
        };
        if (function.Analytics == AnalyticsRole.Client && options.Functions.FirstOrDefault(f => f.Analytics == AnalyticsRole.Sink) is { } sink)
        {
            environment[Env(SettingNames.AnalyticsEndpoint)] = Url(sink.Name, "").ToString().TrimEnd('/');
            environment[Env(SettingNames.AnalyticsKey)] = _key;
        }

        foreach (var (name, value) in extra ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }

        await _docker.StartAsync(container, ComposeFile.Image(function.Name), environment, cancellationToken: cancellationToken);
    }

    /// <summary>Container start (the engine's StartedAt) to the first 200 from <c>/healthz</c>, polled every few milliseconds.</summary>
    private async Task CheckFirstResponseAsync(FunctionDeclaration function, CancellationToken cancellationToken)
    {
        var container = ContainerName(function.Name);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(StartTimeout);
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        DateTimeOffset? answered = null;
        try
        {
            while (answered is null)
            {
                try
                {
                    using var response = await probe.GetAsync(Url(function.Name, Routes.Liveness), deadline.Token);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        answered = DateTimeOffset.UtcNow;
                        break;
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }

                await Task.Delay(5, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Reported below.
        }

        var started = await StartedAtAsync(container, cancellationToken);
        if (report.Check($"{function.Name}: answers 200 after the container starts", answered is not null, answered is null ? $"no 200 from {Routes.Liveness} within {StartTimeout.TotalSeconds:0} s; logs: {Tail(await _docker.LogsAsync(container, cancellationToken))}" : "yes"))
        {
            report.Figure($"{function.Name}: container start → first 200", Report.Milliseconds(answered!.Value - started));
        }
    }

    private async Task CheckHealthAsync(FunctionDeclaration function, CancellationToken cancellationToken)
    {
        var container = ContainerName(function.Name);
        var started = await StartedAtAsync(container, cancellationToken);
        var status = "";
        var healthy = await TryWaitUntilAsync(StartTimeout, async ct =>
        {
            status = await _docker.InspectAsync(container, "{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}} {{.State.Status}}", ct);
            return status.StartsWith("healthy", StringComparison.Ordinal) || !status.EndsWith("running", StringComparison.Ordinal);
        }, cancellationToken) && status.StartsWith("healthy", StringComparison.Ordinal);
        var port = Port(function.Name);
        report.Check(
            $"{function.Name}: HEALTHCHECK healthy on its port",
            healthy && port != 8080,
            healthy ? $"healthy on {port} ({SettingNames.HttpPorts}) {Report.Seconds(DateTimeOffset.UtcNow - started)} after the container started" : $"'{status}' {Report.Seconds(DateTimeOffset.UtcNow - started)} after the container started; logs: {Tail(await _docker.LogsAsync(container, cancellationToken))}");
    }

    /// <summary>When the container's process started (docker gives nanoseconds; .NET parses up to seven digits).</summary>
    private async Task<DateTimeOffset> StartedAtAsync(string container, CancellationToken cancellationToken)
    {
        var text = await _docker.InspectAsync(container, "{{.State.StartedAt}}", cancellationToken);
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0 && text.Length - dot > 9)
        {
            text = text[..(dot + 8)] + text[text.IndexOfAny(['Z', '+', '-'], dot)..];
        }

        return DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
    }

    private async Task CheckUserAsync(FunctionDeclaration function, CancellationToken cancellationToken)
    {
        // PID 1 is the app itself (exec-form entrypoint). The image has no shell or cat (chiseled), so the engine's host
        // says: `docker top` lists the container's processes by host pid, and State.Pid is the host pid of its PID 1.
        var container = ContainerName(function.Name);
        var pid = (await _docker.InspectAsync(container, "{{.State.Pid}}", cancellationToken)).Trim();
        var processes = await _docker.RequireAsync(["top", container, "-o", "pid,uid,args"], cancellationToken: cancellationToken);
        var first = processes.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries))
            .FirstOrDefault(fields => fields.Length == 3 && fields[0] == pid);
        var (uid, command) = first is null ? ("?", "(not listed)") : (first[1], first[2].Trim());
        report.Check($"{function.Name}: runs as non-root, app is PID 1", uid != "0" && uid != "?" && command.StartsWith("/app/function", StringComparison.Ordinal), $"PID 1 uid {uid}: {command}");
    }

    private async Task CheckKeyAsync(FunctionDeclaration function, CancellationToken cancellationToken)
    {
        using var none = await _http.GetAsync(Url(function.Name, "/"), cancellationToken);
        using var wrong = await SendAsync(HttpMethod.Get, function.Name, "/", null, "not-the-key", cancellationToken);
        using var right = await SendAsync(HttpMethod.Get, function.Name, "/", null, _key, cancellationToken);
        var detail = $"no key {(int)none.StatusCode}, wrong key {(int)wrong.StatusCode}, its key {(int)right.StatusCode}";
        if (function.RequireKey)
        {
            report.Check($"{function.Name}: key required", none.StatusCode == HttpStatusCode.Unauthorized && wrong.StatusCode == HttpStatusCode.Unauthorized && right.StatusCode != HttpStatusCode.Unauthorized, detail);
        }
        else
        {
            report.Check($"{function.Name}: no key required (declared requireKey false)", none.StatusCode != HttpStatusCode.Unauthorized, detail);
        }
    }

    /// <summary>The seed's first example: POST a JSON with an id, 202 {"status":"processing"} at once, then the blob.</summary>
    private async Task CheckUploadExampleAsync(CancellationToken cancellationToken)
    {
        var id = "ct-" + Guid.NewGuid().ToString("N");
        using var response = await PostUploadAsync(UploadFunction, id, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var stored = response.StatusCode == HttpStatusCode.Accepted && await TryWaitUntilAsync(StoredTimeout, ct => StoredAsync(id, ct), cancellationToken);
        report.Check("upload: seed example end to end", stored && body.Contains("processing", StringComparison.Ordinal), $"POST {{\"id\":\"{id}\"}} → {(int)response.StatusCode} {body.Trim()}; {BlobName(id)} {(stored ? "stored" : "NOT stored")}");
    }

    private async Task CheckIdleStopAsync(string function, string container, CancellationToken cancellationToken)
    {
        var (elapsed, exitCode) = await _docker.StopAsync(container, GracePeriodSeconds, cancellationToken);
        report.Check($"{function}: idle docker stop", exitCode == 0, $"exit code {exitCode} after {Report.Seconds(elapsed)}");
        report.Figure($"{function}: idle stop time", Report.Seconds(elapsed));
    }

    /// <summary>A burst of accepted uploads still running when SIGTERM comes: the drain finishes them all, exit code 0.</summary>
    private async Task CheckBurstStopAsync(CancellationToken cancellationToken)
    {
        var ids = Enumerable.Range(0, options.Burst).Select(i => $"ct-burst-{i}-{Guid.NewGuid():N}").ToList();
        var responses = await Task.WhenAll(ids.Select(async id =>
        {
            using var response = await PostUploadAsync(UploadFunction, id, cancellationToken);
            return response.StatusCode;
        }));
        var accepted = ids.Where((_, i) => responses[i] == HttpStatusCode.Accepted).ToList();
        var storedBeforeStop = await CountStoredAsync(accepted, cancellationToken);
        var (elapsed, exitCode) = await _docker.StopAsync(ContainerName(UploadFunction), GracePeriodSeconds, cancellationToken);
        var storedAfterStop = await CountStoredAsync(accepted, cancellationToken);
        report.Check(
            "upload: docker stop with a burst pending",
            accepted.Count == ids.Count && storedBeforeStop < accepted.Count && exitCode == 0 && storedAfterStop == accepted.Count,
            $"{accepted.Count}/{ids.Count} accepted, {accepted.Count - storedBeforeStop} pending at SIGTERM; exit code {exitCode} after {Report.Seconds(elapsed)}; {storedAfterStop}/{accepted.Count} stored");
        report.Figure("upload: stop time with the burst pending", Report.Seconds(elapsed));
    }

    /// <summary>
    /// Work longer than the drain budget: handed back to the queue at the budget's end (exit code 0 before G), then finished
    /// by its consumer. Relies only on this: the consumer is the upload function itself started again or a <c>queue</c>-kind
    /// function (whichever the tree has); both are started, with no processing delay.
    /// </summary>
    private async Task HandOffAsync(CancellationToken cancellationToken)
    {
        report.Step($"hand-off: upload with work longer than its drain budget (G = {ShortGracePeriodSeconds} s), then its queue's consumer");
        var upload = Upload!;
        var container = ContainerName(UploadFunction) + "-handoff";
        await StartFunctionAsync(upload, container, ShortGracePeriodSeconds, new Dictionary<string, string> { [Env(SettingNames.UploadProcessingDelayMilliseconds)] = "120000" }, cancellationToken);
        await WaitUntilAsync($"{container} ready", StartTimeout, async ct =>
        {
            try
            {
                using var response = await _http.GetAsync(Url(UploadFunction, Routes.Readiness), ct);
                return response.StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, cancellationToken);
        var ids = Enumerable.Range(0, 3).Select(i => $"ct-handoff-{i}-{Guid.NewGuid():N}").ToList();
        foreach (var id in ids)
        {
            using var response = await PostUploadAsync(UploadFunction, id, cancellationToken);
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                report.Check("upload: hand-off at the drain budget", false, $"POST {id} → {(int)response.StatusCode}");
                return;
            }
        }

        var (elapsed, exitCode) = await _docker.StopAsync(container, ShortGracePeriodSeconds, cancellationToken);
        var handedOff = HandedOffCount(await _docker.LogsAsync(container, cancellationToken));
        var storedAtStop = await CountStoredAsync(ids, cancellationToken);
        report.Check(
            "upload: docker stop with work longer than the drain budget",
            exitCode == 0 && elapsed < TimeSpan.FromSeconds(ShortGracePeriodSeconds) && handedOff == ids.Count && storedAtStop == 0,
            $"exit code {exitCode} after {Report.Seconds(elapsed)} (G {ShortGracePeriodSeconds} s); {handedOff}/{ids.Count} handed off (event {TaskHandedOffEventId}); {storedAtStop} stored by it");
        await _docker.RemoveAsync(container, cancellationToken);

        // The consumers: the upload function itself and every queue-kind function, with no processing delay.
        var consumers = Served.Where(f => f.Name == UploadFunction || f.Kind == FunctionKind.Queue).ToList();
        var noDelay = new Dictionary<string, string> { [Env(SettingNames.UploadProcessingDelayMilliseconds)] = "0" };
        foreach (var consumer in consumers)
        {
            await StartFunctionAsync(consumer, ContainerName(consumer.Name), GracePeriodSeconds, noDelay, cancellationToken);
        }

        var started = DateTimeOffset.UtcNow;
        var finished = await TryWaitUntilAsync(ConsumedTimeout, async ct => await CountStoredAsync(ids, ct) == ids.Count, cancellationToken);
        var took = DateTimeOffset.UtcNow - started;
        var (left, poisoned) = await QueueDepthsAsync(cancellationToken);
        report.Check(
            "upload: handed-off work finished by its queue's consumer",
            finished && left == 0 && poisoned == 0,
            $"{await CountStoredAsync(ids, cancellationToken)}/{ids.Count} stored {Report.Seconds(took)} after {string.Join(" + ", consumers.Select(c => c.Name))} were started again (no delay); {left} left on work queues, {poisoned} poisoned");
        foreach (var consumer in consumers)
        {
            await CheckIdleStopAsync(consumer.Name + " (consumer, after the work)", ContainerName(consumer.Name), cancellationToken);
        }
    }

    private async Task CleanUpAsync()
    {
        foreach (var name in Served.Select(f => ContainerName(f.Name)).Append(ContainerName(UploadFunction) + "-handoff").Append(ContainerName(ComposeFile.AzuriteService)))
        {
            await _docker.RemoveAsync(name);
        }
    }

    /// <summary>Every queue's messages, visible or not: work left on work queues and messages on poison queues.</summary>
    private async Task<(int Left, int Poisoned)> QueueDepthsAsync(CancellationToken cancellationToken)
    {
        int left = 0, poisoned = 0;
        var service = new QueueServiceClient(ConnectionString);
        await foreach (var queue in service.GetQueuesAsync(cancellationToken: cancellationToken))
        {
            var count = (await service.GetQueueClient(queue.Name).GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount;
            if (queue.Name.EndsWith("poison", StringComparison.Ordinal))
            {
                poisoned += count;
            }
            else
            {
                left += count;
            }
        }

        return (left, poisoned);
    }

    private static int HandedOffCount(string logs)
    {
        var count = 0;
        foreach (var line in logs.Split('\n').Where(l => l.StartsWith('{')))
        {
            try
            {
                using var json = JsonDocument.Parse(line);
                if (json.RootElement.TryGetProperty("EventId", out var id) && id.ValueKind == JsonValueKind.Number && id.GetInt32() == TaskHandedOffEventId
                    && json.RootElement.TryGetProperty("Category", out var category) && category.GetString() == RuntimeCategory)
                {
                    count++;
                }
            }
            catch (JsonException)
            {
                // Not a log line of the JSON console.
            }
        }

        return count;
    }

    private Task<HttpResponseMessage> PostUploadAsync(string function, string id, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, function, "/", JsonSerializer.Serialize(new { id, note = "edgestack containers" }), _key, cancellationToken);

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string function, string path, string? json, string key, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, Url(function, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return await _http.SendAsync(request, cancellationToken);
    }

    private Uri Url(string function, string path) => new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port(function)}{path}"));

    private static string BlobName(string id) => $"{StorageNames.UploadsContainer}/processed/{id}.json";

    private Task<bool> StoredAsync(string id, CancellationToken cancellationToken) => StoredAsync(ConnectionString, id, cancellationToken);

    public static async Task<bool> StoredAsync(string connectionString, string id, CancellationToken cancellationToken) =>
        (await new BlobContainerClient(connectionString, StorageNames.UploadsContainer).GetBlobClient($"processed/{id}.json").ExistsAsync(cancellationToken)).Value;

    private async Task<int> CountStoredAsync(IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        var stored = await Task.WhenAll(ids.Select(id => StoredAsync(id, cancellationToken)));
        return stored.Count(s => s);
    }

    private static async Task<bool> ListensAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string Env(string setting) => SettingNames.ToEnvironmentVariable(setting);

    /// <summary>Polls a condition until it holds or the timeout passes (timing only bounds the wait).</summary>
    public static async Task<bool> TryWaitUntilAsync(TimeSpan timeout, Func<CancellationToken, Task<bool>> condition, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            while (!await condition(deadline.Token))
            {
                await Task.Delay(250, deadline.Token);
            }

            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static async Task WaitUntilAsync(string what, TimeSpan timeout, Func<CancellationToken, Task<bool>> condition, CancellationToken cancellationToken)
    {
        if (!await TryWaitUntilAsync(timeout, condition, cancellationToken))
        {
            throw new TimeoutException($"{what}: not within {timeout.TotalSeconds:0} s.");
        }
    }

    public static string Tail(string text) => string.Join(" | ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(8));
}
