using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using EdgeStack.Contracts;
using EdgeStack.Testing;

namespace EdgeStack.Serve.Tests;

/// <summary>./edgestack serve as a user runs it: the whole stack up, every printed URL answering, a clean stop on SIGTERM.</summary>
public sealed class ServeProcessTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Serve_StartsEveryFunction_AnswersOnEachUrlAndThroughTheGatewayAndStopsCleanlyOnSigterm()
    {
        var state = Path.Combine(Directory.CreateTempSubdirectory("edgestack-serve-").FullName, ".edgestack");
        await using var serve = await ScratchRepository.StartServeAsync(TestPaths.RepositoryRoot, state);
        var manifestPath = Path.Combine(state, "serve.json");
        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(manifestPath));
        var functions = manifest.RootElement.GetProperty("functions");
        var gateway = manifest.RootElement.GetProperty("gateway").GetProperty("url").GetString()!;
        using var http = new HttpClient();
        var served = EdgeStack.Blueprint.FunctionManifest.Discover(TestPaths.RepositoryRoot)
            .Where(f => f.Kind != EdgeStack.Blueprint.FunctionKind.Scheduled)
            .Select(f => f.Name)
            .ToList();
        foreach (var name in served)
        {
            var url = new Uri(functions.GetProperty(name).GetProperty("url").GetString()!);
            using var ready = await http.GetAsync(new Uri(url, Routes.Readiness));
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        var hello = functions.GetProperty("hello");
        using var greeting = await SendAsync(http, HttpMethod.Get, hello.GetProperty("url").GetString()!, hello.GetProperty("key").GetString());
        Assert.Equal("Hello World", await greeting.Content.ReadAsStringAsync());
        var connectionString = manifest.RootElement.GetProperty("storage").GetProperty("connectionString").GetString();
        Assert.False(string.IsNullOrEmpty(connectionString));

        using var throughGateway = await SendAsync(http, HttpMethod.Get, gateway + "/functions/v1/hello", hello.GetProperty("key").GetString());
        using var withoutKey = await SendAsync(http, HttpMethod.Get, gateway + "/functions/v1/hello/", key: null);
        Assert.Equal(HttpStatusCode.OK, throughGateway.StatusCode);
        Assert.Equal("Hello World", await throughGateway.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, withoutKey.StatusCode);
        Assert.Equal("application/problem+json", withoutKey.Content.Headers.ContentType?.MediaType);

        // A POST body goes through the gateway to upload, which stores it.
        var id = "gateway-" + Guid.NewGuid().ToString("N");
        using var upload = await SendAsync(http, HttpMethod.Post, gateway + "/functions/v1/upload", functions.GetProperty("upload").GetProperty("key").GetString(), $$"""{"id":"{{id}}","note":"through the gateway"}""");
        Assert.Equal(HttpStatusCode.Accepted, upload.StatusCode);
        var blob = new BlobContainerClient(connectionString, StorageNames.UploadsContainer).GetBlobClient($"processed/{id}.json");
        await Poll.UntilAsync(async () => (await blob.ExistsAsync()).Value, Hang, $"processed/{id}.json");
        Assert.Contains("through the gateway", (await blob.DownloadContentAsync()).Value.Content.ToString(), StringComparison.Ordinal);

        // The sink's events are read with its read key, which serve.json gives; the key the clients hold only writes.
        var sink = functions.GetProperty("analytics");
        using var read = await SendAsync(http, HttpMethod.Get, sink.GetProperty("url").GetString() + "/events?limit=1", sink.GetProperty("readKey").GetString());
        using var readWithWriteKey = await SendAsync(http, HttpMethod.Get, sink.GetProperty("url").GetString() + "/events?limit=1", sink.GetProperty("key").GetString());
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, readWithWriteKey.StatusCode);

        // ./edgestack storage finds it by listing the account.
        using var listing = new StringWriter();
        using var content = new StringWriter();
        Assert.Equal(0, await StorageCommand.RunAsync(["blobs", "--state-dir", state], TestPaths.RepositoryRoot, listing, CancellationToken.None));
        Assert.Equal(0, await StorageCommand.RunAsync(["blob", $"uploads/processed/{id}.json", "--state-dir", state], TestPaths.RepositoryRoot, content, CancellationToken.None));
        Assert.Contains($"processed/{id}.json", listing.ToString(), StringComparison.Ordinal);
        Assert.Contains("through the gateway", content.ToString(), StringComparison.Ordinal);

        Assert.Equal(StateFiles.PrivateFolderMode, File.GetUnixFileMode(state));
        foreach (var file in new[] { "serve.json", "keys.json", PortAssignments.FileName })
        {
            Assert.Equal(StateFiles.PrivateFileMode, File.GetUnixFileMode(Path.Combine(state, file)));
        }

        serve.Signal(FunctionProcess.SigTerm);
        var exitCode = await serve.WaitForExitAsync(Hang);

        Assert.Equal(0, exitCode);
        Assert.Equal(served.Count, serve.Output.Count(l => l.StartsWith("serve: ", StringComparison.Ordinal) && l.EndsWith("stopped (exit code 0).", StringComparison.Ordinal)));
        var order = serve.Output.ToList();
        Assert.True(order.IndexOf("serve: gateway stopped.") > order.FindLastIndex(l => l.EndsWith("stopped (exit code 0).", StringComparison.Ordinal)), "the gateway stops after every function");
        Assert.Contains("serve: azurite stopped.", serve.Output);
        Assert.False(File.Exists(manifestPath));
    }

    [Fact]
    public async Task Serve_FunctionIgnoresSigterm_SaysWhatItWaitsForThenKillsItAtTheGracePeriod()
    {
        using var repository = new ScratchRepository();
        repository.AddFunction("stubborn");
        await using var serve = await repository.StartServeAsync(["--grace-period", "7"], new Dictionary<string, string?> { ["SERVE_TESTAPP_IGNORE_SIGTERM"] = "1" });
        var clock = Stopwatch.StartNew();

        serve.Signal(FunctionProcess.SigTerm);
        var waiting = await serve.WaitForLineAsync(l => l.StartsWith("serve: waiting for stubborn", StringComparison.Ordinal), Hang);
        var exitCode = await serve.WaitForExitAsync(Hang);

        Assert.Contains("3 background task(s) pending", waiting, StringComparison.Ordinal);
        Assert.Contains(serve.Output, l => l.StartsWith("serve: stubborn did not exit within its grace period of 7 s; killing it (SIGKILL)", StringComparison.Ordinal));
        Assert.Contains("serve: stubborn stopped (exit code none: killed).", serve.Output);
        Assert.Equal(1, exitCode);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(40));
        Assert.False(File.Exists(Path.Combine(repository.StateDirectory, "serve.json")));
    }

    [Fact]
    public async Task Serve_SecondStopRequest_KillsWhatStillRunsAtOnce()
    {
        using var repository = new ScratchRepository();
        repository.AddFunction("stubborn");
        await using var serve = await repository.StartServeAsync(["--grace-period", "600"], new Dictionary<string, string?> { ["SERVE_TESTAPP_IGNORE_SIGTERM"] = "1" });
        serve.Signal(FunctionProcess.SigTerm);
        await serve.WaitForLineAsync(l => l == "[stubborn] stubborn: ignoring SIGTERM", Hang);

        serve.Signal(FunctionProcess.SigTerm);
        var exitCode = await serve.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, exitCode);
        Assert.Contains(serve.Output, l => l.StartsWith("serve: stubborn killed (SIGKILL) on a second stop request", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Serve_FunctionAddedBetweenRuns_KeepsThePortsOfTheOthers()
    {
        using var repository = new ScratchRepository();
        repository.AddFunction("bravo");
        var portBase = ScratchRepository.FreeRun(6);
        string bravoBefore;
        await using (var first = await repository.StartServeAsync(portBase: portBase))
        {
            bravoBefore = FunctionUrl(repository, "bravo");
            first.Signal(FunctionProcess.SigTerm);
            Assert.Equal(0, await first.WaitForExitAsync(Hang));
        }

        // alpha sorts before bravo: by name order alone it would take bravo's port.
        repository.AddFunction("alpha");
        await using var second = await repository.StartServeAsync(portBase: portBase);

        Assert.Equal(bravoBefore, FunctionUrl(repository, "bravo"));
        Assert.NotEqual(bravoBefore, FunctionUrl(repository, "alpha"));
        using var http = new HttpClient();
        Assert.StartsWith("alpha GET /", await http.GetStringAsync(GatewayUrl(repository) + "/functions/v1/alpha/"), StringComparison.Ordinal);
        Assert.StartsWith("bravo GET /", await http.GetStringAsync(GatewayUrl(repository) + "/functions/v1/bravo/"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_GatewayPortTaken_RefusesToStartNamingIt()
    {
        using var repository = new ScratchRepository();
        repository.AddFunction("echo");
        var portBase = ScratchRepository.FreeRun(6);
        using var holder = new TcpListener(IPAddress.Loopback, portBase);
        holder.Start();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => repository.StartServeAsync(portBase: portBase));

        Assert.Contains($"serve: Port {portBase} (for the gateway) is in use", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(repository.StateDirectory, "serve.json")));
    }

    internal static string FunctionUrl(ScratchRepository repository, string function)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(repository.StateDirectory, "serve.json")));
        return manifest.RootElement.GetProperty("functions").GetProperty(function).GetProperty("url").GetString()!;
    }

    internal static string GatewayUrl(ScratchRepository repository)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(repository.StateDirectory, "serve.json")));
        return manifest.RootElement.GetProperty("gateway").GetProperty("url").GetString()!;
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string url, string? key, string? json = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return await http.SendAsync(request);
    }
}
