using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace EdgeStack.Serve;

/// <summary>A process serve runs in a session of its own, so a terminal's Ctrl-C reaches serve alone and serve orders the stop.</summary>
internal sealed partial class ChildProcess : IDisposable
{
    private const int SigTerm = 15;

    /// <summary>How often a stop that is still waiting says so.</summary>
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(5);

    private readonly Process _process;
    private readonly string _name;
    private int _pendingAtDrain = -1;

    private ChildProcess(Process process, string name)
    {
        _process = process;
        _name = name;
    }

    public string Name => _name;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static ChildProcess Start(string name, string fileName, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string> environment, TextWriter output)
    {
        var info = new ProcessStartInfo("setsid", [fileName, .. arguments])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ChildProcess(process, name);
        var prefix = $"[{name}] ";
        process.OutputDataReceived += (_, e) => child.OnLine(output, prefix, e.Data);
        process.ErrorDataReceived += (_, e) => child.OnLine(output, prefix, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits for the process to exit of itself; on cancellation, stops it like <see cref="StopAsync"/>.</summary>
    /// <returns>The exit code, or null if it had to be killed.</returns>
    public async Task<int?> WaitForExitAsync(TimeSpan grace, TextWriter output, CancellationToken cancellationToken)
    {
        try
        {
            await _process.WaitForExitAsync(cancellationToken);
            return _process.ExitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return await StopAsync(grace, output, CancellationToken.None);
        }
    }

    /// <summary>
    /// Sends SIGTERM and waits up to <paramref name="grace"/>, saying every few seconds what it waits for; then, or at once
    /// when <paramref name="force"/> fires, sends SIGKILL as the platform does at the end of a container's grace period.
    /// </summary>
    /// <returns>The exit code, or null if it had to be killed.</returns>
    public async Task<int?> StopAsync(TimeSpan grace, TextWriter output, CancellationToken force)
    {
        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, SigTerm);
        }

        var clock = Stopwatch.StartNew();
        var exited = _process.WaitForExitAsync(CancellationToken.None);
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(force);
        using var ticks = new PeriodicTimer(ProgressInterval);
        var deadline = Task.Delay(grace, waiting.Token);
        try
        {
            while (true)
            {
                var first = await Task.WhenAny(exited, deadline, ticks.WaitForNextTickAsync(waiting.Token).AsTask());
                if (first == exited)
                {
                    return _process.ExitCode;
                }

                if (force.IsCancellationRequested)
                {
                    await output.WriteLineAsync($"serve: {_name} killed (SIGKILL) on a second stop request, {Seconds(grace - clock.Elapsed)} s before its grace period ended.");
                    break;
                }

                if (first == deadline)
                {
                    await output.WriteLineAsync($"serve: {_name} did not exit within its grace period of {Seconds(grace)} s; killing it (SIGKILL), as the platform would.");
                    break;
                }

                await output.WriteLineAsync(WaitingLine(grace - clock.Elapsed));
            }
        }
        finally
        {
            await waiting.CancelAsync();
        }

        KillNow();
        await exited.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
        return null;
    }

    public void Dispose()
    {
        KillNow();
        _process.Dispose();
    }

    private static string Seconds(TimeSpan time) => Math.Max(0, Math.Ceiling(time.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    private string WaitingLine(TimeSpan left)
    {
        var pending = Volatile.Read(ref _pendingAtDrain);
        var tasks = pending >= 0 ? $" ({pending} background task(s) pending when its drain started)" : string.Empty;
        return $"serve: waiting for {_name} to drain{tasks}; {Seconds(left)} s left before SIGKILL. Ctrl-C again kills it now.";
    }

    private void KillNow()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited in between.
        }
    }

    private void OnLine(TextWriter output, string prefix, string? line)
    {
        if (line is null)
        {
            return;
        }

        // The runtime's DrainStarted log (event 4) says how many background tasks the drain waits for.
        if (DrainStarted().Match(line) is { Success: true } drain)
        {
            Volatile.Write(ref _pendingAtDrain, int.Parse(drain.Groups["pending"].ValueSpan, CultureInfo.InvariantCulture));
        }

        output.WriteLine(prefix + line);
    }

    [GeneratedRegex(@"Draining for \w+: (?<pending>\d+) background tasks pending")]
    private static partial Regex DrainStarted();

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
