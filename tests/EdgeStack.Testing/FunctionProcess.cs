using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace EdgeStack.Testing;

/// <summary>A real app process on a free loopback port: its output, HTTP client, signals and exit.</summary>
public sealed partial class FunctionProcess : IAsyncDisposable
{
    public const int SigKill = 9;
    public const int SigTerm = 15;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Seen)> _waiters = [];
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private FunctionProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public IReadOnlyCollection<string> Output => _lines.ToArray();

    public IEnumerable<LogLine> Logs => _lines.Select(LogLine.TryParse).OfType<LogLine>();

    /// <summary>Starts <c>dotnet <paramref name="assemblyPath"/></c> listening on a free loopback port; waits until <c>/readyz</c> answers 200 unless told not to.</summary>
    /// <remarks>
    /// A free port is free when chosen, not necessarily when the app binds it: when the app, waited for, exits because another
    /// process took the port meanwhile, it starts again on another one (a port given by the caller is kept).
    /// </remarks>
    public static async Task<FunctionProcess> StartAsync(
        string assemblyPath,
        IDictionary<string, string?>? environment = null,
        bool waitUntilReady = true,
        int? port = null,
        IEnumerable<string>? arguments = null,
        string? workingDirectory = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var app = Start(assemblyPath, environment, port ?? FreePort(), arguments, workingDirectory);
            if (!waitUntilReady)
            {
                return app;
            }

            try
            {
                await app.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
                return app;
            }
            catch (InvalidOperationException) when (port is null && attempt < 3)
            {
                // It exited before it was ready; once its output is read to the end, it tells whether the port was taken.
                await app._process.WaitForExitAsync();
                var portTaken = app.Output.Any(IsAddressInUse);
                await app.DisposeAsync();
                if (!portTaken)
                {
                    throw;
                }
            }
        }
    }

    private static FunctionProcess Start(string assemblyPath, IDictionary<string, string?>? environment, int boundPort, IEnumerable<string>? arguments, string? workingDirectory)
    {
        var info = new ProcessStartInfo("dotnet", [assemblyPath, .. arguments ?? []])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(assemblyPath)!,
        };
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{boundPort}";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        info.Environment["EdgeRuntime__JsonConsole"] = "true";
        info.Environment["Logging__LogLevel__Default"] = "Information";
        info.Environment["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning";
        info.Environment["Logging__LogLevel__EdgeStack"] = "Debug";
        info.Environment["Logging__Console__FormatterName"] = "json";
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var app = new FunctionProcess(process, new Uri($"http://127.0.0.1:{boundPort}"));
        process.OutputDataReceived += (_, e) => app.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => app.OnLine(e.Data);
        process.Exited += (_, _) => app._exited.TrySetResult();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return app;
    }

    /// <summary>Kestrel's "Failed to bind to address http://127.0.0.1:…: address already in use."</summary>
    private static bool IsAddressInUse(string line) => line.Contains("address already in use", StringComparison.OrdinalIgnoreCase);

    public static int FreePort() => FreePorts(1)[0];

    /// <summary>Distinct free loopback ports: all held open together while chosen, so no two are the same.</summary>
    public static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            listeners.ForEach(l => l.Dispose());
        }
    }

    /// <summary>The first of <paramref name="count"/> consecutive free loopback ports, such as a port base for Azurite's blob, queue and table services.</summary>
    public static int FreeConsecutivePorts(int count)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var first = FreePort();
            if (first + count - 1 <= IPEndPoint.MaxPort && Enumerable.Range(first + 1, count - 1).All(CanBind))
            {
                return first;
            }
        }

        throw new InvalidOperationException($"No {count} consecutive free ports.");
    }

    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The app exited with code {_process.ExitCode} before it was ready:{Environment.NewLine}{string.Join(Environment.NewLine, _lines)}");
            }

            try
            {
                using var response = await Client.GetAsync(new Uri("/readyz", UriKind.Relative), cts.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(50, cts.Token);
        }
    }

    /// <summary>Waits for an output line that matches, including lines already seen.</summary>
    public Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            var earlier = _lines.FirstOrDefault(match);
            if (earlier is not null)
            {
                return Task.FromResult(earlier);
            }

            _waiters.Add((match, seen));
        }

        return seen.Task.WaitAsync(timeout);
    }

    public Task<LogLine> WaitForLogAsync(int eventId, TimeSpan timeout) =>
        WaitForLineAsync(l => LogLine.TryParse(l)?.EventId == eventId, timeout).ContinueWith(t => LogLine.TryParse(t.Result)!, TaskScheduler.Default);

    public void Signal(int signal)
    {
        if (Kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed with errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    /// <summary>Waits for the process to exit and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await _exited.Task.WaitAsync(timeout);
        await _process.WaitForExitAsync();
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static bool CanBind(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        List<TaskCompletionSource<string>>? matched = null;
        lock (_gate)
        {
            _lines.Enqueue(line);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(line))
                {
                    (matched ??= []).Add(_waiters[i].Seen);
                    _waiters.RemoveAt(i);
                }
            }
        }

        matched?.ForEach(m => m.TrySetResult(line));
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    internal static partial int Kill(int pid, int signal);
}
