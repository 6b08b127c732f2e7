using System.Globalization;
using EdgeStack.Blueprint;

namespace EdgeStack.Containers;

/// <summary>What <c>./edgestack containers</c> was asked for: host ports, the compose command and the burst size.</summary>
internal sealed class ContainerTestOptions
{
    public required string RepositoryRoot { get; init; }

    /// <summary>Gets every discovered function, ordered by name.</summary>
    public required IReadOnlyList<FunctionDeclaration> Functions { get; init; }

    /// <summary>Gets the port before the first container's; containers take the next ports (host networking: each its own).</summary>
    public int PortBase { get; init; } = 8100;

    /// <summary>Gets Azurite's blob port; queue and table take the next two.</summary>
    public int AzuritePortBase { get; init; } = 18100;

    /// <summary>Gets the compose command (<c>docker-compose</c>, or <c>docker compose</c> for v2); empty skips the compose test.</summary>
    public IReadOnlyList<string> Compose { get; init; } = [];

    /// <summary>Gets how many uploads are pending when the upload container is stopped.</summary>
    public int Burst { get; init; } = 60;

    /// <summary>Gets whether the first image is built without the engine's cache, as on a fresh engine (the others reuse what it built).</summary>
    public bool NoCache { get; init; }

    /// <summary>Parses the command line; throws <see cref="ArgumentException"/> naming the bad option.</summary>
    public static ContainerTestOptions Parse(IReadOnlyList<string> args, string currentDirectory)
    {
        var root = FunctionManifest.FindRepositoryRoot(currentDirectory);
        int portBase = 8100, azuritePortBase = 18100, burst = 60;
        IReadOnlyList<string> compose = [];
        var noCache = false;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            switch (name)
            {
                case "--port-base":
                    portBase = Number(name, Value(), 1024, 65535 - 99);
                    break;
                case "--azurite-port-base":
                    azuritePortBase = Number(name, Value(), 1024, 65535 - 2);
                    break;
                case "--compose":
                    compose = Value().Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    break;
                case "--no-cache":
                    noCache = true;
                    break;
                case "--burst":
                    burst = Number(name, Value(), 1, 1000);
                    break;
                default:
                    throw new ArgumentException($"Unknown option '{name}'. Options: --port-base N, --azurite-port-base N, --compose COMMAND, --burst N, --no-cache.");
            }
        }

        return new ContainerTestOptions
        {
            RepositoryRoot = root,
            Functions = FunctionManifest.Discover(root),
            PortBase = portBase,
            AzuritePortBase = azuritePortBase,
            Compose = compose,
            Burst = burst,
            NoCache = noCache,
        };
    }

    private static int Number(string name, string value, int min, int max)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < min || number > max)
        {
            throw new ArgumentException($"{name} must be a number from {min} to {max}; it is '{value}'.");
        }

        return number;
    }
}
