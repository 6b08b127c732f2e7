using System.Globalization;

namespace EdgeStack.Serve;

/// <summary>What <c>./edgestack serve</c> was asked for: ports, folders and the build configuration (see <c>usage.txt</c>).</summary>
internal sealed class ServeOptions
{
    public const int DefaultPortBase = 7400;

    public const int DefaultAzuritePortBase = 10000;

    public const int DefaultGracePeriodSeconds = 30;

    /// <summary>The container grace period's upper bound on Azure Container Apps.</summary>
    public const int MaxGracePeriodSeconds = 600;

    public required string RepositoryRoot { get; init; }

    public required string StateDirectory { get; init; }

    /// <summary>Gets the functions discovered in the repository (<c>functions/*/edgestack.json</c>), ordered by name.</summary>
    public required IReadOnlyList<EdgeStack.Blueprint.FunctionDeclaration> Functions { get; init; }

    /// <summary>Gets the gateway's port; each function's is this plus its offset in <c>ports.json</c> (<see cref="PortAssignments"/>).</summary>
    public int PortBase { get; init; } = DefaultPortBase;

    /// <summary>Gets Azurite's blob port; queue and table take the next two.</summary>
    public int AzuritePortBase { get; init; } = DefaultAzuritePortBase;

    public string Configuration { get; init; } = "Release";

    /// <summary>Gets the seconds from SIGTERM to SIGKILL, as a container's termination grace period; the apps are told the same.</summary>
    public int GracePeriodSeconds { get; init; } = DefaultGracePeriodSeconds;

    /// <summary>Gets whether a change in a function's folder rebuilds and restarts it (<see cref="FunctionWatcher"/>).</summary>
    public bool Watch { get; init; }

    /// <summary>Gets the usage text, shared with the launcher's <c>./edgestack serve --help</c>.</summary>
    public static string Usage { get; } = ReadText("usage.txt");

    /// <summary>Whether the command line asks for the usage text only.</summary>
    public static bool IsHelp(IReadOnlyList<string> args) => args.Any(a => a is "-h" or "--help");

    /// <summary>Parses the command line; throws <see cref="ArgumentException"/> naming the bad option.</summary>
    public static ServeOptions Parse(IReadOnlyList<string> args, string currentDirectory)
    {
        var root = FindRoot(currentDirectory);
        string? state = null;
        int portBase = DefaultPortBase, azuritePortBase = DefaultAzuritePortBase, grace = DefaultGracePeriodSeconds;
        var configuration = "Release";
        var watch = false;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            switch (name)
            {
                case "--port-base":
                    portBase = Number(name, Value(), 1024, 65535 - PortAssignments.MaxOffset, "a port");
                    break;
                case "--azurite-port-base":
                    azuritePortBase = Number(name, Value(), 1024, 65535 - 2, "a port");
                    break;
                case "--grace-period":
                    grace = Number(name, Value(), 1, MaxGracePeriodSeconds, "a number of seconds");
                    break;
                case "--state-dir":
                    state = Path.GetFullPath(Value(), currentDirectory);
                    break;
                case "--configuration":
                    configuration = Value();
                    break;
                case "--watch":
                    watch = true;
                    break;
                default:
                    throw new ArgumentException($"Unknown option '{name}'; `./edgestack serve --help` lists the options.");
            }
        }

        return new ServeOptions
        {
            RepositoryRoot = root,
            Functions = EdgeStack.Blueprint.FunctionManifest.Discover(root),
            StateDirectory = state ?? Path.Combine(root, ".edgestack"),
            PortBase = portBase,
            AzuritePortBase = azuritePortBase,
            GracePeriodSeconds = grace,
            Configuration = configuration,
            Watch = watch,
        };
    }

    private static int Number(string name, string value, int min, int max, string what)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < min || number > max)
        {
            throw new ArgumentException($"{name} must be {what} between {min} and {max}; it is '{value}'.");
        }

        return number;
    }

    /// <summary>Reads a text file embedded in the serve tool, such as a usage text the launcher prints as it is.</summary>
    internal static string ReadText(string fileName)
    {
        using var stream = typeof(ServeOptions).Assembly.GetManifestResourceStream("EdgeStack.Serve." + fileName)
            ?? throw new InvalidOperationException(fileName + " is not embedded in EdgeStack.Serve.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
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
