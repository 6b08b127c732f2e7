using System.Globalization;

namespace EdgeStack.Serve;

/// <summary>What <c>./edgestack serve</c> was asked for: ports, folders and the build configuration.</summary>
internal sealed class ServeOptions
{
    public required string RepositoryRoot { get; init; }

    public required string StateDirectory { get; init; }

    /// <summary>Gets the functions discovered in the repository (<c>functions/*/edgestack.json</c>), ordered by name.</summary>
    public required IReadOnlyList<EdgeStack.Blueprint.FunctionDeclaration> Functions { get; init; }

    /// <summary>Gets the port before the first app's; apps take the next ports in the order of <see cref="Functions"/>.</summary>
    public int PortBase { get; init; } = 7400;

    /// <summary>Gets Azurite's blob port; queue and table take the next two.</summary>
    public int AzuritePortBase { get; init; } = 10000;

    public string Configuration { get; init; } = "Release";

    public int GracePeriodSeconds { get; init; } = 30;

    /// <summary>Parses the command line; throws <see cref="ArgumentException"/> naming the bad option.</summary>
    public static ServeOptions Parse(IReadOnlyList<string> args, string currentDirectory)
    {
        var root = FindRoot(currentDirectory);
        string? state = null;
        int portBase = 7400, azuritePortBase = 10000;
        var configuration = "Release";
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            switch (name)
            {
                case "--port-base":
                    portBase = Port(name, Value(), 99);
                    break;
                case "--azurite-port-base":
                    azuritePortBase = Port(name, Value(), 2);
                    break;
                case "--state-dir":
                    state = Path.GetFullPath(Value(), currentDirectory);
                    break;
                case "--configuration":
                    configuration = Value();
                    break;
                default:
                    throw new ArgumentException($"Unknown option '{name}'. Options: --port-base N, --azurite-port-base N, --state-dir PATH, --configuration NAME.");
            }
        }

        return new ServeOptions
        {
            RepositoryRoot = root,
            Functions = EdgeStack.Blueprint.FunctionManifest.Discover(root),
            StateDirectory = state ?? Path.Combine(root, ".edgestack"),
            PortBase = portBase,
            AzuritePortBase = azuritePortBase,
            Configuration = configuration,
        };
    }

    private static int Port(string name, string value, int following)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port < 1024 || port + following > 65535)
        {
            throw new ArgumentException($"{name} must be a port between 1024 and {65535 - following}; it is '{value}'.");
        }

        return port;
    }

    private static string FindRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EdgeStack.sln")))
            {
                return dir.FullName;
            }
        }

        throw new ArgumentException($"Run serve inside the EdgeStack repository: no EdgeStack.sln above {start}.");
    }
}
