using System.CommandLine;
using EdgeStack.Blueprint;
using EdgeStack.Tools;

namespace EdgeStack.Run;

/// <summary>What <c>./edgestack run NAME</c> was asked for: the function, Azurite's ports, the state folder and the build configuration.</summary>
internal sealed class RunOptions
{
    private static readonly Argument<string?> FunctionArgument = CreateFunctionArgument();

    private static readonly Option<int> AzuritePortBaseOption = ToolCommandLine.AzuritePortBase();

    private static readonly Option<string?> StateDirectoryOption = ToolCommandLine.StateDirectory();

    private static readonly Option<string> ConfigurationOption = ToolCommandLine.BuildConfiguration();

    private static readonly ToolCommandLine CommandLine = new(
        "run",
        "Runs the scheduled function once now, as its Container Apps Job would: one process that does the job's work\n"
        + "and exits. Uses the storage of a running ./edgestack serve, or starts Azurite itself (and stops it after);\n"
        + "creates the storage the function declares; forwards Ctrl-C/SIGTERM to the run; exits with the run's exit code.",
        [AzuritePortBaseOption, StateDirectoryOption, ConfigurationOption],
        FunctionArgument);

    public required string RepositoryRoot { get; init; }

    public required string StateDirectory { get; init; }

    /// <summary>Gets the scheduled function to run.</summary>
    public required FunctionDeclaration Function { get; init; }

    /// <summary>Gets Azurite's blob port when run starts it (serve's default, so both see the same data); queue and table take the next two.</summary>
    public int AzuritePortBase { get; init; } = ToolCommandLine.DefaultAzuritePortBase;

    /// <summary>Gets the analytics sink's name, if a function is declared as one; serve's manifest has its URL and key.</summary>
    public string? SinkName { get; init; }

    public string Configuration { get; init; } = ToolCommandLine.DefaultConfiguration;

    /// <summary>Gets the grace period the run gets on Ctrl-C or SIGTERM: a Container Apps Job's, which cannot be set.</summary>
    public int GracePeriodSeconds { get; init; } = JobPlan.PlatformGracePeriodSeconds;

    /// <summary>Gets the usage text <c>./edgestack run --help</c> prints: System.CommandLine's help for the arguments above.</summary>
    public static string Usage => CommandLine.Usage;

    /// <summary>Whether the command line asks for the usage text only.</summary>
    public static bool IsHelp(IReadOnlyList<string> args) => CommandLine.IsHelp(args);

    /// <summary>Parses the command line; throws <see cref="ArgumentException"/> naming the problem.</summary>
    public static RunOptions Parse(IReadOnlyList<string> args, string currentDirectory)
    {
        var root = FunctionManifest.FindRepositoryRoot(currentDirectory);
        var result = CommandLine.Parse(args);
        var functions = FunctionManifest.Discover(root);
        var scheduled = string.Join(", ", functions.Where(f => f.Kind == FunctionKind.Scheduled).Select(f => f.Name));
        if (result.GetValue(FunctionArgument) is not { } name)
        {
            throw new ArgumentException($"Name the scheduled function to run ({scheduled}); `./edgestack run --help` lists the options.");
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
            StateDirectory = ToolCommandLine.StateDirectoryOf(result, StateDirectoryOption, currentDirectory, root),
            Function = function,
            SinkName = functions.FirstOrDefault(f => f.Analytics == AnalyticsRole.Sink)?.Name,
            AzuritePortBase = result.GetValue(AzuritePortBaseOption),
            Configuration = result.GetValue(ConfigurationOption)!,
        };
    }

    private static Argument<string?> CreateFunctionArgument()
    {
        var argument = new Argument<string?>("function")
        {
            Description = "The scheduled function to run (functions/<function>/edgestack.json, kind scheduled)",
            Arity = ArgumentArity.ZeroOrOne,
        };

        // A word that is not an option lands here, even an unknown option's: refused as System.CommandLine refuses the others.
        argument.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } name && name.StartsWith('-'))
            {
                result.AddError($"Unrecognized command or argument '{name}'.");
            }
        });
        return argument;
    }
}
