using EdgeStack.Testing;

namespace EdgeStack.Cli.Tests;

/// <summary>Runs the CLI, or the .NET CLI, as a real process in a folder.</summary>
internal static class Commands
{
    /// <summary>Runs <c>EdgeStack.Cli</c> (what <c>./edgestack</c> runs) with the arguments in a folder.</summary>
    public static Task<ProcessResult> EdgeStackAsync(string workingDirectory, params string[] arguments) =>
        DotnetAsync(workingDirectory, TimeSpan.FromMinutes(3), [TestPaths.AppAssembly("EdgeStack.Cli"), .. arguments]);

    /// <summary>Runs <c>dotnet</c> with the arguments in a folder; the timeout only bounds a hang.</summary>
    public static Task<ProcessResult> DotnetAsync(string workingDirectory, TimeSpan timeout, params string[] arguments) =>
        DotnetAsync(workingDirectory, timeout, new Dictionary<string, string>(), arguments);

    /// <summary>Runs <c>dotnet</c> with the arguments in a folder, with extra environment variables (its children inherit them).</summary>
    public static Task<ProcessResult> DotnetAsync(string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        ProcessRun.RunAsync(
            "dotnet",
            arguments,
            workingDirectory,
            new Dictionary<string, string>(environment) { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" },
            timeout);
}
