using System.Globalization;
using EdgeStack.Blueprint;

namespace EdgeStack.Run;

/// <summary>What <c>./edgestack run NAME</c> was asked for: the function, Azurite's ports, the state folder and the build configuration.</summary>
internal sealed class RunOptions
{
    public const string Usage = "usage: ./edgestack run <scheduled function> [--azurite-port-base N] [--state-dir PATH] [--configuration NAME]";

    public required string RepositoryRoot { get; init; }

    public required string StateDirectory { get; init; }

    /// <summary>Gets the scheduled function to run.</summary>
    public required FunctionDeclaration Function { get; init; }

    /// <summary>Gets Azurite's blob port when run starts it (serve's default, so both see the same data); queue and table take the next two.</summary>
    public int AzuritePortBase { get; init; } = 10000;

    /// <summary>Gets the analytics sink's name, if a function is declared as one; serve's manifest has its URL and key.</summary>
    public string? SinkName { get; init; }

    public string Configuration { get; init; } = "Release";

    /// <summary>Gets the grace period the run gets on Ctrl-C or SIGTERM, as in Azure by default.</summary>
    public int GracePeriodSeconds { get; init; } = 30;

    /// <summary>Parses the command line; throws <see cref="ArgumentException"/> naming the problem.</summary>
    public static RunOptions Parse(IReadOnlyList<string> args, string currentDirectory)
    {
        var root = FunctionManifest.FindRepositoryRoot(currentDirectory);
        string? name = null, state = null;
        var azuritePortBase = 10000;
        var configuration = "Release";
        for (var i = 0; i < args.Count; i++)
        {
            var option = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{option} needs a value.");
            switch (option)
            {
                case "--azurite-port-base":
                    azuritePortBase = Port(option, Value());
                    break;
                case "--state-dir":
                    state = Path.GetFullPath(Value(), currentDirectory);
                    break;
                case "--configuration":
                    configuration = Value();
                    break;
                case var _ when option.StartsWith('-'):
                    throw new ArgumentException($"Unknown option '{option}'. {Usage}");
                case var _ when name is null:
                    name = option;
                    break;
                default:
                    throw new ArgumentException($"One function at a time; '{option}' is one too many. {Usage}");
            }
        }

        var functions = FunctionManifest.Discover(root);
        var scheduled = string.Join(", ", functions.Where(f => f.Kind == FunctionKind.Scheduled).Select(f => f.Name));
        if (name is null)
        {
            throw new ArgumentException($"Name the scheduled function to run ({scheduled}). {Usage}");
        }

        var function = functions.FirstOrDefault(f => f.Name == name)
            ?? throw new ArgumentException($"No function '{name}' (no {FunctionManifest.FunctionsFolder}/{name}/{FunctionManifest.FileName}); the scheduled functions are: {scheduled}.");
        if (function.Kind != FunctionKind.Scheduled)
        {
            throw new ArgumentException($"'{name}' is not a scheduled function (its kind is {function.Kind.ToString().ToLowerInvariant()}); run starts scheduled functions once ({scheduled}); ./edgestack serve runs the others.");
        }

        return new RunOptions
        {
            RepositoryRoot = root,
            StateDirectory = state ?? Path.Combine(root, ".edgestack"),
            Function = function,
            SinkName = functions.FirstOrDefault(f => f.Analytics == AnalyticsRole.Sink)?.Name,
            AzuritePortBase = azuritePortBase,
            Configuration = configuration,
        };
    }

    private static int Port(string option, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1024 and <= 65533
            ? port
            : throw new ArgumentException($"{option} must be a port between 1024 and 65533; it is '{value}'.");
}
