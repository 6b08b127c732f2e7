using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeStack.Blueprint;
using EdgeStack.Contracts;
using EdgeStack.Tools;

namespace EdgeStack.Serve;

/// <summary>Azurite plus every function app, each its own process on 127.0.0.1 with the settings names it has in Azure, and one gateway in front of them.</summary>
internal sealed class LocalStack(ServeOptions options, TextWriter output) : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly List<(string Name, ChildProcess Process)> _apps = [];
    private readonly CancellationTokenSource _force = new();
    private IReadOnlyDictionary<string, int> _offsets = new Dictionary<string, int>();
    private ChildProcess? _azurite;
    private Gateway? _gateway;
    private bool _manifestWritten;
    private Dictionary<string, string> _keys = [];
    private FunctionWatcher? _watcher;
    private readonly CancellationTokenSource _stopSchedules = new();
    private Task _schedules = Task.CompletedTask;

    public string ConnectionString { get; } = LocalAzurite.ConnectionString(options.AzuritePortBase);

    /// <summary>Gets the functions serve runs as servers: every discovered function but the scheduled ones.</summary>
    private IEnumerable<FunctionDeclaration> Served => options.Functions.Where(f => f.Kind != FunctionKind.Scheduled);

    /// <summary>Gets the analytics sink, if a function is declared as one.</summary>
    private FunctionDeclaration? Sink => options.Functions.FirstOrDefault(f => f.Analytics == AnalyticsRole.Sink);

    private string ManifestPath => Path.Combine(options.StateDirectory, "serve.json");

    public int Port(string function) => options.PortBase + _offsets[function];

    public Uri Url(string function) => new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port(function)}"));

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        StateFiles.CreateFolder(options.StateDirectory);
        _offsets = PortAssignments.LoadOrAssign(options.StateDirectory, Served.Select(f => f.Name));
        EnsurePortsFree();
        await StartAzuriteAsync(cancellationToken);
        await DeclaredStorage.CreateAsync(ConnectionString, options.Functions, cancellationToken);
        var keys = _keys = LoadOrCreateKeys();
        foreach (var function in Served)
        {
            _apps.Add((function.Name, StartApp(function, keys)));
        }

        await Task.WhenAll(_apps.Select(a => WaitUntilReadyAsync(a.Name, a.Process, cancellationToken)));
        _gateway = await Gateway.StartAsync(options.PortBase, _apps.ToDictionary(a => a.Name, a => Url(a.Name)), cancellationToken);
        WriteManifest(keys);
        PrintTable(keys);
        if (options.Watch)
        {
            _watcher = FunctionWatcher.Start(options, Served, RestartAsync, output);
            await output.WriteLineAsync("serve: watching every function's folder; a change builds it and restarts it gracefully.");
        }

        // Scheduled functions run on their schedules (./edgestack run NAME runs one now).
        _schedules = new Scheduler(options.Functions, (function, ct) => RunScheduledAsync(function, keys, ct), output, TimeProvider.System).RunAsync(_stopSchedules.Token);
    }

    /// <summary>Stops a function gracefully and starts it again from <paramref name="binFolder"/>, on the same port.</summary>
    private async Task RestartAsync(FunctionDeclaration function, string binFolder, CancellationToken cancellationToken)
    {
        var index = _apps.FindIndex(a => a.Name == function.Name);
        var running = _apps[index].Process;
        await StopAppAsync(running, TimeSpan.FromSeconds(options.GracePeriodSeconds));
        running.Dispose();
        var started = StartApp(function, _keys, binFolder);
        _apps[index] = (function.Name, started);
        await WaitUntilReadyAsync(function.Name, started, cancellationToken);
        await output.WriteLineAsync($"serve: {function.Name} restarted from its new build.");
    }

    /// <summary>
    /// Stops the apps gracefully, each within its grace period (then SIGKILL, as the platform does): the callers together,
    /// then the analytics sink they send to, then the gateway, then Azurite; removes <c>serve.json</c>.
    /// </summary>
    /// <returns>True when every app exited with code 0.</returns>
    public async Task<bool> StopAsync()
    {
        try
        {
            // A scheduled run in progress gets SIGTERM and its grace period, like the apps.
            await _stopSchedules.CancelAsync();
            await _schedules;
            if (_watcher is not null)
            {
                await _watcher.DisposeAsync();
            }

            var grace = TimeSpan.FromSeconds(options.GracePeriodSeconds);
            var callers = _apps.Where(a => a.Name != Sink?.Name);
            var sink = _apps.Where(a => a.Name == Sink?.Name);
            var codes = (await Task.WhenAll(callers.Select(a => StopAppAsync(a.Process, grace))))
                .Concat(await Task.WhenAll(sink.Select(a => StopAppAsync(a.Process, grace))))
                .ToList();
            if (_gateway is not null)
            {
                await _gateway.StopAsync(_force.IsCancellationRequested ? TimeSpan.Zero : TimeSpan.FromSeconds(5));
                await output.WriteLineAsync("serve: gateway stopped.");
            }

            if (_azurite is not null)
            {
                await _azurite.StopAsync(TimeSpan.FromSeconds(10), output, _force.Token);
                await output.WriteLineAsync("serve: azurite stopped.");
            }

            return codes.All(c => c == 0);
        }
        finally
        {
            // Only this run's: a serve that failed to start (its ports taken by another) leaves the other's file alone.
            if (_manifestWritten)
            {
                File.Delete(ManifestPath);
            }
        }
    }

    /// <summary>Ends a graceful stop in progress: every process still running is killed (SIGKILL) at once.</summary>
    public void ForceStop() => _force.Cancel();

    private async Task<int?> StopAppAsync(ChildProcess process, TimeSpan grace)
    {
        var code = await process.StopAsync(grace, output, _force.Token);
        await output.WriteLineAsync($"serve: {process.Name} stopped (exit code {code?.ToString(CultureInfo.InvariantCulture) ?? "none: killed"}).");
        return code;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, process) in _apps)
        {
            process.Dispose();
        }

        _azurite?.Dispose();
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        _force.Dispose();
        _stopSchedules.Dispose();
    }

    private void EnsurePortsFree()
    {
        var wanted = Served.Select(f => (Port(f.Name), f.Name))
            .Prepend((options.PortBase, "the gateway"))
            .Concat(LocalAzurite.Ports(options.AzuritePortBase));
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
        var azurite = ChildProcess.Start(
            "azurite",
            LocalAzurite.Executable(options.RepositoryRoot, "serve"),
            LocalAzurite.Arguments(options.AzuritePortBase, options.StateDirectory),
            options.RepositoryRoot,
            new Dictionary<string, string>(),
            output);
        _azurite = azurite;
        await LocalAzurite.WaitUntilListeningAsync(options.AzuritePortBase, () => azurite.HasExited ? azurite.ExitCode : null, cancellationToken);
    }

    /// <summary>Keys are made once per state folder and kept, so URLs and keys stay the same across runs.</summary>
    private Dictionary<string, string> LoadOrCreateKeys()
    {
        var path = Path.Combine(options.StateDirectory, "keys.json");
        var keys = File.Exists(path)
            ? JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path)) ?? []
            : [];
        // Every function's key, and the analytics sink's read key (the key its clients hold only writes).
        var names = options.Functions.Select(f => f.Name).Concat(Sink is { } sink ? [ReadKeyName(sink.Name)] : []);
        foreach (var function in names.Where(f => !keys.ContainsKey(f)))
        {
            keys[function] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
        }

        StateFiles.WritePrivate(path, JsonSerializer.Serialize(keys));
        return keys;
    }

    /// <summary>The entry of <c>keys.json</c> that holds the analytics sink's read key.</summary>
    private static string ReadKeyName(string sink) => sink + ".read";

    private ChildProcess StartApp(FunctionDeclaration declaration, Dictionary<string, string> keys, string? binFolder = null)
    {
        var function = declaration.Name;
        var bin = binFolder ?? Path.Combine(options.RepositoryRoot, declaration.Folder, "bin", options.Configuration, "net10.0");
        var assembly = Path.Combine(bin, function + ".dll");
        if (!File.Exists(assembly))
        {
            throw new InvalidOperationException($"{assembly} is missing; build it first (./edgestack serve builds every app).");
        }

        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            [SettingNames.ToEnvironmentVariable(SettingNames.FunctionName)] = function,
            [SettingNames.ToEnvironmentVariable(SettingNames.FunctionKey)] = keys[function],
            [SettingNames.ToEnvironmentVariable(SettingNames.FunctionRequireKey)] = declaration.RequireKey ? "true" : "false",
            [SettingNames.ToEnvironmentVariable(SettingNames.StorageConnectionString)] = ConnectionString,
            [SettingNames.ToEnvironmentVariable(SettingNames.TerminationGracePeriodSeconds)] = options.GracePeriodSeconds.ToString(CultureInfo.InvariantCulture),
        };
        if (declaration.Kind != FunctionKind.Scheduled)
        {
            // A scheduled run listens nowhere.
            environment["ASPNETCORE_URLS"] = Url(function).ToString().TrimEnd('/');
        }

        if (declaration.Analytics == AnalyticsRole.Sink)
        {
            environment[SettingNames.ToEnvironmentVariable(SettingNames.FunctionReadKey)] = keys[ReadKeyName(function)];
        }

        if (declaration.Analytics == AnalyticsRole.Client && Sink is { } sink)
        {
            environment[SettingNames.ToEnvironmentVariable(SettingNames.AnalyticsEndpoint)] = Url(sink.Name).ToString().TrimEnd('/');
            environment[SettingNames.ToEnvironmentVariable(SettingNames.AnalyticsKey)] = keys[sink.Name];
        }

        return ChildProcess.Start(function, "dotnet", [assembly], bin, environment, output);
    }

    /// <summary>One run of a scheduled function: its process with the app settings but no listener; the exit code is the run's (-1: killed).</summary>
    private async Task<int> RunScheduledAsync(FunctionDeclaration declaration, Dictionary<string, string> keys, CancellationToken cancellationToken)
    {
        var run = StartApp(declaration, keys);
        using (run)
        {
            return await run.WaitForExitAsync(TimeSpan.FromSeconds(options.GracePeriodSeconds + 5), output, cancellationToken) ?? -1;
        }
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

        if (Sink is { } sink && functions[sink.Name] is JsonObject entry)
        {
            entry["readKey"] = keys[ReadKeyName(sink.Name)];
        }

        var manifest = new JsonObject
        {
            ["gateway"] = new JsonObject { ["url"] = _gateway!.Url.ToString().TrimEnd('/') },
            ["functions"] = functions,
            ["storage"] = new JsonObject { ["connectionString"] = ConnectionString },
        };
        StateFiles.WritePrivate(ManifestPath, manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        _manifestWritten = true;
    }

    private void PrintTable(Dictionary<string, string> keys)
    {
        var gateway = _gateway!.Url.ToString().TrimEnd('/');
        var width = Math.Max(10, _apps.Max(a => a.Name.Length) + 1);
        output.WriteLine();
        output.WriteLine($"{"function".PadRight(width)} {"url",-24} {"through the gateway",-46} key");
        foreach (var function in _apps.Select(a => a.Name))
        {
            output.WriteLine($"{function.PadRight(width)} {Url(function).ToString().TrimEnd('/'),-24} {gateway + Gateway.PathOf(function),-46} {keys[function]}");
        }

        if (Sink is { } sink)
        {
            output.WriteLine($"{(sink.Name + " read key (GET /events)").PadRight(width + 72)} {keys[ReadKeyName(sink.Name)]}");
        }

        output.WriteLine();
        output.WriteLine($"gateway    {gateway}");
        output.WriteLine($"storage    {ConnectionString}");
        output.WriteLine($"manifest   {ManifestPath}");
        output.WriteLine("Call a function with `Authorization: Bearer <key>`. Ctrl-C stops every app gracefully, then the gateway and Azurite; a second Ctrl-C kills them at once.");
        output.Flush();
    }
}
