using System.Diagnostics;

namespace EdgeStack.Serve.Tests;

/// <summary>Runs a short-lived process to its end: what it printed on each stream and how it exited.</summary>
internal static class ProcessRun
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    /// <summary>Runs <paramref name="fileName"/> with the arguments in a folder; the timeout only bounds a hang.</summary>
    public static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string fileName, string workingDirectory, params string[] arguments)
    {
        var info = new ProcessStartInfo(fileName, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(Hang);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
