using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using EdgeStack.Contracts;
using EdgeStack.Testing;

namespace EdgeStack.Serve.Tests;

/// <summary>./edgestack serve as a user runs it: the whole stack up, every printed URL answering, a clean stop on SIGTERM.</summary>
public sealed class ServeProcessTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Serve_StartsEveryFunction_AnswersOnEachUrlAndStopsCleanlyOnSigterm()
    {
        var state = Directory.CreateTempSubdirectory("edgestack-serve-").FullName;
        var portBase = FunctionProcess.FreePort() / 10 * 10 % 50000 + 10000;
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        await using var serve = await FunctionProcess.StartAsync(
            TestPaths.AppAssembly("EdgeStack.Serve"),
            new Dictionary<string, string?> { ["DOTNET_ENVIRONMENT"] = "Production" },
            waitUntilReady: false,
            arguments: ["--port-base", $"{portBase}", "--azurite-port-base", $"{portBase + 6}", "--state-dir", state, "--configuration", configuration],
            workingDirectory: TestPaths.RepositoryRoot);
        await serve.WaitForLineAsync(l => l.StartsWith("manifest", StringComparison.Ordinal), Hang);

        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(state, "serve.json")));
        var functions = manifest.RootElement.GetProperty("functions");
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
        using var request = new HttpRequestMessage(HttpMethod.Get, hello.GetProperty("url").GetString());
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", hello.GetProperty("key").GetString());
        using var greeting = await http.SendAsync(request);
        Assert.Equal("Hello World", await greeting.Content.ReadAsStringAsync());
        Assert.False(string.IsNullOrEmpty(manifest.RootElement.GetProperty("storage").GetProperty("connectionString").GetString()));

        serve.Signal(FunctionProcess.SigTerm);
        var exitCode = await serve.WaitForExitAsync(Hang);

        Assert.Equal(0, exitCode);
        Assert.Equal(served.Count, serve.Output.Count(l => l.StartsWith("serve: ", StringComparison.Ordinal) && l.EndsWith("stopped (exit code 0).", StringComparison.Ordinal)));
        Assert.Contains("serve: azurite stopped.", serve.Output);
    }
}
