using System.Diagnostics;
using System.Runtime.InteropServices;

namespace EdgeStack.Serve;

/// <summary>A process serve runs in a session of its own, so a terminal's Ctrl-C reaches serve alone and serve orders the stop.</summary>
internal sealed partial class ChildProcess : IDisposable
{
    private const int SigTerm = 15;
    private readonly Process _process;
    private readonly string _name;

    private ChildProcess(Process process, string name)
    {
        _process = process;
        _name = name;
    }

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
        var prefix = $"[{name}] ";
        process.OutputDataReceived += (_, e) => Write(output, prefix, e.Data);
        process.ErrorDataReceived += (_, e) => Write(output, prefix, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ChildProcess(process, name);
    }

    /// <summary>Waits for the process to exit of itself; on cancellation, stops it like <see cref="StopAsync"/>.</summary>
    /// <returns>The exit code, or null if it had to be killed.</returns>
    public async Task<int?> WaitForExitAsync(TimeSpan stopTimeout, TextWriter output, CancellationToken cancellationToken)
    {
        try
        {
            await _process.WaitForExitAsync(cancellationToken);
            return _process.ExitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return await StopAsync(stopTimeout, output);
        }
    }

    /// <summary>Sends SIGTERM and waits up to <paramref name="timeout"/>; kills the process if it is still running then.</summary>
    /// <returns>The exit code, or null if it had to be killed.</returns>
    public async Task<int?> StopAsync(TimeSpan timeout, TextWriter output)
    {
        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, SigTerm);
        }

        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout);
            return _process.ExitCode;
        }
        catch (TimeoutException)
        {
            await output.WriteLineAsync($"serve: {_name} did not stop within {timeout.TotalSeconds} s; killing it.");
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            return null;
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private static void Write(TextWriter output, string prefix, string? line)
    {
        if (line is not null)
        {
            output.WriteLine(prefix + line);
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
