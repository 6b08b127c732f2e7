using System.Diagnostics;
using EdgeStack.Testing;

namespace EdgeStack.Cli.Tests;

/// <summary>Runs the CLI, or the .NET CLI, as a real process in a folder.</summary>
internal static class Commands
{
    /// <summary>Runs <c>EdgeStack.Cli</c> (what <c>./edgestack</c> runs) with the arguments in a folder.</summary>
    public static Task<CommandResult> EdgeStackAsync(string workingDirectory, params string[] arguments) =>
        DotnetAsync(workingDirectory, TimeSpan.FromMinutes(3), [TestPaths.AppAssembly("EdgeStack.Cli"), .. arguments]);

    /// <summary>Runs <c>dotnet</c> with the arguments in a folder; the timeout only bounds a hang.</summary>
    public static Task<CommandResult> DotnetAsync(string workingDirectory, TimeSpan timeout, params string[] arguments) =>
        DotnetAsync(workingDirectory, timeout, new Dictionary<string, string>(), arguments);

    /// <summary>Runs <c>dotnet</c> with the arguments in a folder, with extra environment variables (its children inherit them).</summary>
    public static async Task<CommandResult> DotnetAsync(string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet", arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new CommandResult(process.ExitCode, await output, await error);
    }
}
