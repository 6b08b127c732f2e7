using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace EdgeStack.Bench;

/// <summary>A server under test: a real process on a free 127.0.0.1 port, polled, measured and signalled.</summary>
internal sealed partial class AppProcess : IAsyncDisposable
{
    public const int SigTerm = 15;

    private readonly Process _process;
    private readonly TaskCompletionSource<long> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private AppProcess(Process process, int port, long startedAt, string? authorization)
    {
        _process = process;
        Port = port;
        StartedAt = startedAt;
        Authorization = authorization;
    }

    public int Port { get; }

    public Uri Url => new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port}/"));

    public int Id => _process.Id;

    /// <summary>Gets the <c>Authorization</c> header value every request to this app must carry, or null.</summary>
    public string? Authorization { get; }

    /// <summary>Gets the <see cref="Stopwatch.GetTimestamp"/> just before the process was spawned.</summary>
    public long StartedAt { get; }

    public static AppProcess Start(AppVariant variant)
    {
        var port = FreePort();
        var info = new ProcessStartInfo(variant.FileName, variant.Arguments)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = variant.WorkingDirectory ?? Path.GetDirectoryName(variant.Arguments[0])!,
        };
        info.Environment["ASPNETCORE_URLS"] = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");
        info.Environment["PORT"] = port.ToString(CultureInfo.InvariantCulture);
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in variant.Environment)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var started = Stopwatch.GetTimestamp();
        var app = new AppProcess(process, port, started, variant.Authorization);
        process.Exited += (_, _) => app._exited.TrySetResult(Stopwatch.GetTimestamp());
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine($"  [{variant.Name}] {e.Data}");
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return app;
    }

    /// <summary>Polls <c>GET <paramref name="path"/></c> every couple of milliseconds until it answers 200.</summary>
    /// <returns>The time from spawn to the first 200.</returns>
    public async Task<TimeSpan> WaitForFirstOkAsync(TimeSpan timeout, string path = "/")
    {
        var request = PollRequest(path, Authorization);
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{_process.StartInfo.FileName} exited with code {_process.ExitCode} before it answered.");
            }

            if (await TryGetOkAsync(Port, request))
            {
                return Stopwatch.GetElapsedTime(StartedAt);
            }

            await Task.Delay(2);
        }

        throw new TimeoutException($"No 200 from {Url} within {timeout.TotalSeconds} s.");
    }

    /// <summary>Gets the resident set size from <c>/proc/PID/status</c> (VmRSS), in bytes.</summary>
    public long ResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kb = line["VmRSS:".Length..].Trim().Split(' ')[0];
                return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException("No VmRSS line.");
    }

    /// <summary>Sends a signal and returns the <see cref="Stopwatch.GetTimestamp"/> just before it.</summary>
    public long Signal(int signal)
    {
        var at = Stopwatch.GetTimestamp();
        if (Kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed with errno {Marshal.GetLastPInvokeError()}.");
        }

        return at;
    }

    /// <summary>Waits for the process to exit.</summary>
    /// <returns>The <see cref="Stopwatch.GetTimestamp"/> at which its exit was seen, and its exit code.</returns>
    public async Task<(long ExitedAt, int ExitCode)> WaitForExitAsync(TimeSpan timeout)
    {
        var at = await _exited.Task.WaitAsync(timeout);
        await _process.WaitForExitAsync();
        return (at, _process.ExitCode);
    }

    /// <summary>Stops the process with SIGTERM, killing it if it does not exit in time.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        Signal(SigTerm);
        try
        {
            await WaitForExitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }

    /// <summary>Sends <c>GET /</c> with this app's <c>Authorization</c> header and checks for a success status.</summary>
    public async Task GetAsync(HttpClient http, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Url);
        if (Authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", Authorization);
        }

        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Gets the wrk header line (<c>Authorization: ...</c>) for this app, or null.</summary>
    public string? WrkHeader => Authorization is null ? null : "Authorization: " + Authorization;

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Builds the raw <c>GET</c> request the start polls send (a fresh connection each, closed after the answer).</summary>
    public static byte[] PollRequest(string path, string? authorization) =>
        Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{(authorization is null ? string.Empty : $"Authorization: {authorization}\r\n")}Connection: close\r\n\r\n");

    /// <summary>Sends one poll request on a fresh connection.</summary>
    /// <returns>True when the answer is <c>200</c>.</returns>
    public static async Task<bool> TryGetOkAsync(int port, byte[] request)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, port);
            await socket.SendAsync(request);
            var buffer = new byte[64];
            var read = 0;
            while (read < 12)
            {
                var n = await socket.ReceiveAsync(buffer.AsMemory(read));
                if (n == 0)
                {
                    return false;
                }

                read += n;
            }

            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("HTTP/1.1 200", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
