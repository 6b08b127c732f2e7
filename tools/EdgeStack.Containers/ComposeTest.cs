using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EdgeStack.Contracts;

namespace EdgeStack.Containers;

/// <summary>
/// The committed docker-compose.yml, as far as the engine allows: <c>config</c> is valid, <c>up</c> (the images built
/// before, the Azurite image), a request through each published port, the upload example through the compose network,
/// <c>stop</c> → every container's exit code 0. Ports are moved into this run's range by the file's own variables.
/// </summary>
internal sealed class ComposeTest(ContainerTestOptions options, Report report, Docker docker, HttpClient http)
{
    private const string Project = "edgestack-ct";

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(120);

    private readonly string _key = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    private IReadOnlyList<EdgeStack.Blueprint.FunctionDeclaration> Served => ComposeFile.Served(options.Functions);

    /// <summary>Host ports of this run: the containers' range from +51, clear of the single-container checks.</summary>
    private int Port(string function) => options.PortBase + 51 + Served.Select(f => f.Name).ToList().IndexOf(function);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        report.Step($"compose: {ComposeFile.FileName} with `{string.Join(' ', options.Compose)}` (project {Project})");
        try
        {
            var config = await ComposeAsync(["config", "-q"], cancellationToken);
            if (!report.Check("compose: config valid", config.Succeeded, config.Succeeded ? "docker-compose config -q: exit code 0" : ContainerTest.Tail(config.Error)))
            {
                return;
            }

            var up = await ComposeAsync(["up", "-d", "--no-build"], cancellationToken);
            if (!report.Check("compose: up", up.Succeeded, up.Succeeded ? $"{Served.Count} functions and Azurite up in {Report.Seconds(up.Elapsed)}" : ContainerTest.Tail(up.Error)))
            {
                return;
            }

            foreach (var function in Served)
            {
                await CheckPortAsync(function, cancellationToken);
            }

            if (Served.Any(f => f.Name == ContainerTest.UploadFunction))
            {
                await CheckUploadAsync(cancellationToken);
            }

            var ids = (await ComposeAsync(["ps", "-q"], cancellationToken)).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var stop = await ComposeAsync(["stop"], cancellationToken);
            var exits = new List<string>();
            foreach (var id in ids)
            {
                exits.Add(await docker.InspectAsync(id, "{{.Name}}={{.State.ExitCode}}", cancellationToken));
            }

            report.Check(
                "compose: stop, every exit code 0",
                stop.Succeeded && ids.Length == Served.Count + 1 && exits.All(e => e.EndsWith("=0", StringComparison.Ordinal)),
                $"{Report.Seconds(stop.Elapsed)}: {string.Join(", ", exits.Select(e => e.TrimStart('/')))}");
        }
        finally
        {
            await ComposeAsync(["down", "-v", "--remove-orphans"], CancellationToken.None);
        }
    }

    private async Task CheckPortAsync(EdgeStack.Blueprint.FunctionDeclaration function, CancellationToken cancellationToken)
    {
        var ready = await ContainerTest.TryWaitUntilAsync(ReadyTimeout, async ct =>
        {
            try
            {
                using var response = await http.GetAsync(Url(function.Name, Routes.Readiness), ct);
                return response.StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, cancellationToken);
        var status = ready ? (int)(await http.GetAsync(Url(function.Name, "/"), cancellationToken)).StatusCode : 0;
        var expected = function.RequireKey ? 401 : status;
        report.Check($"compose: {function.Name} through 127.0.0.1:{Port(function.Name)}", ready && status == expected, ready ? $"{Routes.Readiness} 200; / without a key {status}" : "not ready");
    }

    private async Task CheckUploadAsync(CancellationToken cancellationToken)
    {
        var id = "ct-compose-" + Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(HttpMethod.Post, Url(ContainerTest.UploadFunction, "/"))
        {
            Content = new StringContent(JsonSerializer.Serialize(new { id }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _key);
        using var response = await http.SendAsync(request, cancellationToken);
        var connection = ComposeFile.ConnectionString("127.0.0.1", options.AzuritePortBase);
        var stored = response.StatusCode == HttpStatusCode.Accepted
            && await ContainerTest.TryWaitUntilAsync(TimeSpan.FromSeconds(60), ct => ContainerTest.StoredAsync(connection, id, ct), cancellationToken);
        report.Check("compose: upload example through the compose network", stored, $"POST → {(int)response.StatusCode}; processed/{id}.json {(stored ? "stored" : "NOT stored")} in the compose Azurite");
    }

    private Uri Url(string function, string path) => new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port(function)}{path}"));

    private Task<CommandResult> ComposeAsync(IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, string> { [ComposeFile.KeyVariable] = _key };
        foreach (var function in Served)
        {
            environment[ComposeFile.PortVariable(function.Name)] = Port(function.Name).ToString(CultureInfo.InvariantCulture);
        }

        foreach (var (service, offset) in ComposeFile.AzuritePorts)
        {
            environment[ComposeFile.PortVariable(ComposeFile.AzuriteService + "-" + service)] = (options.AzuritePortBase + offset).ToString(CultureInfo.InvariantCulture);
        }

        return CommandLine.RunAsync(
            options.Compose[0],
            [.. options.Compose.Skip(1), "-p", Project, "-f", ComposeFile.FileName, .. arguments],
            CommandTimeout,
            options.RepositoryRoot,
            environment,
            cancellationToken);
    }
}
