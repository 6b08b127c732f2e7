using System.CommandLine;
using EdgeStack.Blueprint;
using EdgeStack.Tools;

namespace EdgeStack.Serve;

/// <summary>What <c>./edgestack serve</c> was asked for: ports, folders and the build configuration (see <see cref="Usage"/>).</summary>
internal sealed class ServeOptions
{
    public const int DefaultPortBase = 7400;

    /// <summary>An app's grace period on Azure Container Apps unless the stack sets one.</summary>
    public const int DefaultGracePeriodSeconds = FunctionSettings.DefaultTerminationGracePeriodSeconds;

    /// <summary>The container grace period's upper bound on Azure Container Apps.</summary>
    public const int MaxGracePeriodSeconds = StackSettingsParser.MaxTerminationGracePeriodSeconds;

    private static readonly Option<int> PortBaseOption = ToolCommandLine.Number(
        "--port-base", DefaultPortBase, ToolCommandLine.MinPort, 65535 - PortAssignments.MaxOffset, "a port",
        "The gateway's port; the functions get the ports after it, kept per function in <state-dir>/ports.json");

    private static readonly Option<int> AzuritePortBaseOption = ToolCommandLine.AzuritePortBase();

    private static readonly Option<int> GracePeriodOption = ToolCommandLine.Number(
        "--grace-period", DefaultGracePeriodSeconds, 1, MaxGracePeriodSeconds, "a number of seconds",
        $"Seconds each function gets from SIGTERM to SIGKILL, and is told it has (at most {MaxGracePeriodSeconds}, as on Azure)");

    private static readonly Option<string?> StateDirectoryOption = ToolCommandLine.StateDirectory();

    private static readonly Option<string> ConfigurationOption = ToolCommandLine.BuildConfiguration();

    private static readonly Option<bool> WatchOption = new("--watch")
    {
        Description = "A change in a function's folder builds it (into <state-dir>/watch/) and, if it built, restarts it gracefully "
            + "on the same port; a failed build keeps the old one",
    };

    private static readonly ToolCommandLine CommandLine = new(
        "serve",
        "Runs Azurite, every function app on 127.0.0.1 and one gateway in front of them:\n"
        + "  <gateway>/functions/v1/<name>/<rest> is <name>'s own URL + /<rest>.\n"
        + "Prints the URLs and keys and writes them to <state-dir>/serve.json (removed when serve stops).\n"
        + "Ctrl-C or SIGTERM stops the functions gracefully (each gets its grace period, then SIGKILL),\n"
        + "then the gateway, then Azurite; a second Ctrl-C kills what is still running at once.",
        [PortBaseOption, AzuritePortBaseOption, GracePeriodOption, StateDirectoryOption, ConfigurationOption, WatchOption]);

    public required string RepositoryRoot { get; init; }

    public required string StateDirectory { get; init; }

    /// <summary>Gets the functions discovered in the repository (<c>functions/*/edgestack.json</c>), ordered by name.</summary>
    public required IReadOnlyList<FunctionDeclaration> Functions { get; init; }

    /// <summary>Gets the gateway's port; each function's is this plus its offset in <c>ports.json</c> (<see cref="PortAssignments"/>).</summary>
    public int PortBase { get; init; } = DefaultPortBase;

    /// <summary>Gets Azurite's blob port; queue and table take the next two.</summary>
    public int AzuritePortBase { get; init; } = ToolCommandLine.DefaultAzuritePortBase;

    public string Configuration { get; init; } = ToolCommandLine.DefaultConfiguration;

    /// <summary>Gets the seconds from SIGTERM to SIGKILL, as a container's termination grace period; the apps are told the same.</summary>
    public int GracePeriodSeconds { get; init; } = DefaultGracePeriodSeconds;

    /// <summary>Gets whether a change in a function's folder rebuilds and restarts it (<see cref="FunctionWatcher"/>).</summary>
    public bool Watch { get; init; }

    /// <summary>Gets the usage text <c>./edgestack serve --help</c> prints: System.CommandLine's help for the options above.</summary>
    public static string Usage => CommandLine.Usage;

    /// <summary>Whether the command line asks for the usage text only.</summary>
    public static bool IsHelp(IReadOnlyList<string> args) => CommandLine.IsHelp(args);

    /// <summary>Parses the command line; throws <see cref="ArgumentException"/> naming the bad option.</summary>
    public static ServeOptions Parse(IReadOnlyList<string> args, string currentDirectory)
    {
        var root = FindRoot(currentDirectory);
        var result = CommandLine.Parse(args);
        return new ServeOptions
        {
            RepositoryRoot = root,
            Functions = FunctionManifest.Discover(root),
            StateDirectory = ToolCommandLine.StateDirectoryOf(result, StateDirectoryOption, currentDirectory, root),
            PortBase = result.GetValue(PortBaseOption),
            AzuritePortBase = result.GetValue(AzuritePortBaseOption),
            GracePeriodSeconds = result.GetValue(GracePeriodOption),
            Configuration = result.GetValue(ConfigurationOption)!,
            Watch = result.GetValue(WatchOption),
        };
    }

    /// <summary>Finds the repository root (the folder holding EdgeStack.sln) at or above <paramref name="start"/>.</summary>
    internal static string FindRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EdgeStack.sln")))
            {
                return dir.FullName;
            }
        }

        throw new ArgumentException($"Run ./edgestack inside the EdgeStack repository: no EdgeStack.sln above {start}.");
    }
}
