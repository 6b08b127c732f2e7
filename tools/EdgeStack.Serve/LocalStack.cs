using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using EdgeStack.Blueprint;
using EdgeStack.Contracts;

namespace EdgeStack.Serve;

/// <summary>Azurite plus every function app, each its own process on 127.0.0.1 with the settings names it has in Azure.</summary>
internal sealed class LocalStack(ServeOptions options, TextWriter output) : IAsyncDisposable
{
    /// <summary>Azurite's documented development account: a public, well-known key, never used in Azure.</summary>
    private const string DevAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly List<(string Name, ChildProcess Process)> _apps = [];
    private ChildProcess? _azurite;

    public string ConnectionString { get; } = string.Create(
        CultureInfo.InvariantCulture,
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevAccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{options.AzuritePortBase}/devstoreaccount1;" +
        $"QueueEndpoint=http://127.0.0.1:{options.AzuritePortBase + 1}/devstoreaccount1;" +
        $"TableEndpoint=http://127.0.0.1:{options.AzuritePortBase + 2}/devstoreaccount1;");

    /// <summary>Gets the functions serve runs as servers: every discovered function but the scheduled ones.</summary>
    private IEnumerable<FunctionDeclaration> Served => options.Functions.Where(f => f.Kind != FunctionKind.Scheduled);

    /// <summary>Gets the analytics sink, if a function is declared as one.</summary>
    private FunctionDeclaration? Sink => options.Functions.FirstOrDefault(f => f.Analytics == AnalyticsRole.Sink);

    public int Port(string function) => options.PortBase + 1 + options.Functions.Select(f => f.Name).ToList().IndexOf(function);

    public Uri Url(string function) => new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port(function)}"));

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(options.StateDirectory);
        EnsurePortsFree();
        await StartAzuriteAsync(cancellationToken);
        await CreateStorageAsync(cancellationToken);
        var keys = LoadOrCreateKeys();
        foreach (var function in Served)
        {
            _apps.Add((function.Name, StartApp(function, keys)));
        }

        await Task.WhenAll(_apps.Select(a => WaitUntilReadyAsync(a.Name, a.Process, cancellationToken)));
        WriteManifest(keys);
        PrintTable(keys);
    }

    /// <summary>Stops the apps gracefully (each gets its grace period): the callers together, then the analytics sink they send to, then Azurite.</summary>
    /// <returns>True when every app exited with code 0.</returns>
    public async Task<bool> StopAsync()
    {
        var grace = TimeSpan.FromSeconds(options.GracePeriodSeconds + 5);
        var callers = _apps.Where(a => a.Name != Sink?.Name);
        var sink = _apps.Where(a => a.Name == Sink?.Name);
        var codes = (await Task.WhenAll(callers.Select(a => StopAppAsync(a.Name, a.Process, grace))))
            .Concat(await Task.WhenAll(sink.Select(a => StopAppAsync(a.Name, a.Process, grace))))
            .ToList();
        if (_azurite is not null)
        {
            await _azurite.StopAsync(TimeSpan.FromSeconds(10), output);
            await output.WriteLineAsync("serve: azurite stopped.");
        }

        return codes.All(c => c == 0);
    }

    private async Task<int?> StopAppAsync(string name, ChildProcess process, TimeSpan grace)
    {
        var code = await process.StopAsync(grace, output);
        await output.WriteLineAsync($"serve: {name} stopped (exit code {code?.ToString(CultureInfo.InvariantCulture) ?? "killed"}).");
        return code;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, process) in _apps)
        {
            process.Dispose();
        }

        _azurite?.Dispose();
        await Task.CompletedTask;
    }

    private void EnsurePortsFree()
    {
        var wanted = Served.Select(f => (Port(f.Name), f.Name))
            .Concat([(options.AzuritePortBase, "azurite blob"), (options.AzuritePortBase + 1, "azurite queue"), (options.AzuritePortBase + 2, "azurite table")]);
        foreach (var (port, user) in wanted)
        {
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
            }
            catch (SocketException)
            {
                throw new InvalidOperationException($"Port {port} (for {user}) is in use on 127.0.0.1; stop what holds it or pass --port-base / --azurite-port-base.");
            }
        }
    }

    private async Task StartAzuriteAsync(CancellationToken cancellationToken)
    {
        var azurite = Path.Combine(options.RepositoryRoot, "node_modules", ".bin", "azurite");
        if (!File.Exists(azurite))
        {
            throw new InvalidOperationException($"Azurite is not installed at {azurite}; run `npm ci` in {options.RepositoryRoot} (./edgestack serve does).");
        }

        var data = Path.Combine(options.StateDirectory, "azurite");
        Directory.CreateDirectory(data);
        var p = options.AzuritePortBase;
        _azurite = ChildProcess.Start(
            "azurite",
            azurite,
            [
                "--silent", "--disableTelemetry", "--skipApiVersionCheck", "--loose",
                "--blobHost", "127.0.0.1", "--blobPort", $"{p}",
                "--queueHost", "127.0.0.1", "--queuePort", $"{p + 1}",
                "--tableHost", "127.0.0.1", "--tablePort", $"{p + 2}",
                "--location", data,
            ],
            options.RepositoryRoot,
            new Dictionary<string, string>(),
            output);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(StartTimeout);
        foreach (var port in new[] { p, p + 1, p + 2 })
        {
            while (true)
            {
                if (_azurite.HasExited)
                {
                    throw new InvalidOperationException($"Azurite exited with code {_azurite.ExitCode} before it listened.");
                }

                try
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync(IPAddress.Loopback, port, deadline.Token);
                    break;
                }
                catch (SocketException)
                {
                    await Task.Delay(100, deadline.Token);
                }
            }
        }
    }

    private async Task CreateStorageAsync(CancellationToken cancellationToken)
    {
        // What the functions declare, as the Pulumi program creates it in Azure.
        var storage = options.Functions.SelectMany(f => f.AllStorage).DistinctBy(s => (s.Kind, s.Name)).ToList();
        foreach (var need in storage)
        {
            switch (need.Kind)
            {
                case StorageKind.Container:
                    await new BlobContainerClient(ConnectionString, need.Name).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
                    break;
                case StorageKind.Queue:
                    await new QueueClient(ConnectionString, need.Name).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
                    break;
                case StorageKind.Table:
                    await new TableClient(ConnectionString, need.Name).CreateIfNotExistsAsync(cancellationToken);
                    break;
            }
        }
    }

    /// <summary>Keys are made once per state folder and kept, so URLs and keys stay the same across runs.</summary>
    private Dictionary<string, string> LoadOrCreateKeys()
    {
        var path = Path.Combine(options.StateDirectory, "keys.json");
        var keys = File.Exists(path)
            ? JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path)) ?? []
            : [];
        foreach (var function in options.Functions.Select(f => f.Name).Where(f => !keys.ContainsKey(f)))
        {
            keys[function] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
        }

        File.WriteAllText(path, JsonSerializer.Serialize(keys));
        return keys;
    }

    private ChildProcess StartApp(FunctionDeclaration declaration, Dictionary<string, string> keys)
    {
        var function = declaration.Name;
        var bin = Path.Combine(options.RepositoryRoot, declaration.Folder, "bin", options.Configuration, "net10.0");
        var assembly = Path.Combine(bin, function + ".dll");
        if (!File.Exists(assembly))
        {
            throw new InvalidOperationException($"{assembly} is missing; build it first (./edgestack serve builds every app).");
        }

        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = Url(function).ToString().TrimEnd('/'),
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            [SettingNames.ToEnvironmentVariable(SettingNames.FunctionName)] = function,
            [SettingNames.ToEnvironmentVariable(SettingNames.FunctionKey)] = keys[function],
            [SettingNames.ToEnvironmentVariable(SettingNames.FunctionRequireKey)] = declaration.RequireKey ? "true" : "false",
            [SettingNames.ToEnvironmentVariable(SettingNames.StorageConnectionString)] = ConnectionString,
            [SettingNames.ToEnvironmentVariable(SettingNames.TerminationGracePeriodSeconds)] = options.GracePeriodSeconds.ToString(CultureInfo.InvariantCulture),
        };
        if (declaration.Analytics == AnalyticsRole.Client && Sink is { } sink)
        {
            environment[SettingNames.ToEnvironmentVariable(SettingNames.AnalyticsEndpoint)] = Url(sink.Name).ToString().TrimEnd('/');
            environment[SettingNames.ToEnvironmentVariable(SettingNames.AnalyticsKey)] = keys[sink.Name];
        }

        return ChildProcess.Start(function, "dotnet", [assembly], bin, environment, output);
    }

    private async Task WaitUntilReadyAsync(string function, ChildProcess process, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = Url(function), Timeout = TimeSpan.FromSeconds(5) };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(StartTimeout);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{function} exited with code {process.ExitCode} before it was ready; its output is above.");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(Routes.Readiness, UriKind.Relative), deadline.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!deadline.IsCancellationRequested)
            {
                // One slow probe; try again.
            }

            await Task.Delay(100, deadline.Token);
        }
    }

    private void WriteManifest(Dictionary<string, string> keys)
    {
        var functions = new JsonObject();
        foreach (var function in _apps.Select(a => a.Name))
        {
            functions[function] = new JsonObject { ["url"] = Url(function).ToString().TrimEnd('/'), ["key"] = keys[function] };
        }

        var manifest = new JsonObject
        {
            ["functions"] = functions,
            ["storage"] = new JsonObject { ["connectionString"] = ConnectionString },
        };
        File.WriteAllText(Path.Combine(options.StateDirectory, "serve.json"), manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    private void PrintTable(Dictionary<string, string> keys)
    {
        output.WriteLine();
        output.WriteLine($"{"function",-10} {"url",-24} key");
        foreach (var function in _apps.Select(a => a.Name))
        {
            output.WriteLine($"{function,-10} {Url(function).ToString().TrimEnd('/'),-24} {keys[function]}");
        }

        output.WriteLine();
        output.WriteLine($"storage    {ConnectionString}");
        output.WriteLine($"manifest   {Path.Combine(options.StateDirectory, "serve.json")}");
        output.WriteLine("Call a function with `Authorization: Bearer <key>`. Ctrl-C stops every app gracefully, then Azurite.");
        output.Flush();
    }
}
