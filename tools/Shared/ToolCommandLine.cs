using System.CommandLine;
using System.CommandLine.Help;
using System.Globalization;

namespace EdgeStack.Tools;

/// <summary>
/// A tool's command line, <c>./edgestack NAME [options]</c>, parsed by System.CommandLine, whose help is the tool's usage
/// text; with the options serve and run share, defined here once. Linked into both tools.
/// </summary>
internal sealed class ToolCommandLine
{
    /// <summary>The Azurite blob port both tools use by default, so a run sees what serve stored.</summary>
    public const int DefaultAzuritePortBase = 10000;

    /// <summary>The build configuration whose function builds the tools start, as the launcher builds them.</summary>
    public const string DefaultConfiguration = "Release";

    /// <summary>The state folder's name in the repository root when <c>--state-dir</c> is not given.</summary>
    public const string DefaultStateFolder = ".edgestack";

    /// <summary>The lowest port the tools take: the ones below are privileged.</summary>
    public const int MinPort = 1024;

    private static readonly ParserConfiguration Configuration = new() { ResponseFileTokenReplacer = null };

    private readonly Command _command;

    // The launcher as the root, so the help's usage line reads as the user types it.
    private readonly Command _launcher;

    /// <summary>Initializes the command line of <c>./edgestack <paramref name="name"/></c>.</summary>
    /// <param name="name">The launcher's command.</param>
    /// <param name="description">What the command does: the help's first paragraph.</param>
    /// <param name="options">The options, in the help's order; <c>-h</c>/<c>--help</c> comes last.</param>
    /// <param name="argument">The command's argument, if it takes one.</param>
    public ToolCommandLine(string name, string description, IEnumerable<Option> options, Argument? argument = null)
    {
        _command = new Command(name, description);
        if (argument is not null)
        {
            _command.Arguments.Add(argument);
        }

        foreach (var option in options)
        {
            _command.Options.Add(option);
        }

        _command.Options.Add(new HelpOption());
        _launcher = new Command("./edgestack") { _command };
    }

    /// <summary>Gets the usage text: System.CommandLine's help, from the command's and its options' descriptions.</summary>
    public string Usage
    {
        get
        {
            using var output = new StringWriter(CultureInfo.InvariantCulture);
            Read(["--help"]).Invoke(new InvocationConfiguration { Output = output });
            return output.ToString();
        }
    }

    /// <summary>Whether the command line asks for the usage text (<c>-h</c>, <c>--help</c>, anywhere, whatever else it holds).</summary>
    public bool IsHelp(IReadOnlyList<string> args) => Read(args).Action is HelpAction;

    /// <summary>Parses the command line; throws <see cref="ArgumentException"/> naming each bad option or argument.</summary>
    public ParseResult Parse(IReadOnlyList<string> args)
    {
        var result = Read(args);
        if (result.Errors.Count > 0)
        {
            throw new ArgumentException($"{string.Join(" ", result.Errors.Select(e => e.Message))} (`./edgestack {_command.Name} --help` lists the options.)");
        }

        return result;
    }

    /// <summary>An option taking a whole number from <paramref name="min"/> to <paramref name="max"/>; any other value is refused naming the option and the range.</summary>
    /// <param name="name">The option, such as <c>--port-base</c>.</param>
    /// <param name="defaultValue">The value without the option.</param>
    /// <param name="min">The lowest value taken.</param>
    /// <param name="max">The highest value taken.</param>
    /// <param name="what">What the number is, for the error: "a port", "a number of seconds".</param>
    /// <param name="description">The help's description.</param>
    public static Option<int> Number(string name, int defaultValue, int min, int max, string what, string description) => new(name)
    {
        Description = description,
        HelpName = "N",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            var value = result.Tokens[0].Value;
            if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max)
            {
                return number;
            }

            result.AddError($"{name} must be {what} between {min} and {max}; it is '{value}'.");
            return defaultValue;
        },
    };

    /// <summary><c>--azurite-port-base N</c>: Azurite's blob port; queue and table take the next two.</summary>
    public static Option<int> AzuritePortBase() =>
        Number("--azurite-port-base", DefaultAzuritePortBase, MinPort, 65535 - 2, "a port", "Azurite's blob port; queue and table take the next two");

    /// <summary><c>--state-dir PATH</c>: the state folder (keys, ports, serve.json, Azurite's data), relative to the current folder.</summary>
    public static Option<string?> StateDirectory() => NotEmpty(new Option<string?>("--state-dir")
    {
        Description = $"Where keys, ports, serve.json and Azurite's data live [default: <repository>/{DefaultStateFolder}]",
        HelpName = "PATH",
    });

    /// <summary><c>--configuration NAME</c>: the build configuration whose function builds are started.</summary>
    public static Option<string> BuildConfiguration() => NotEmpty(new Option<string>("--configuration")
    {
        Description = "The build configuration whose function builds are started (bin/<NAME>/)",
        HelpName = "NAME",
        DefaultValueFactory = _ => DefaultConfiguration,
    });

    /// <summary>The state folder <c>--state-dir</c> names, from <paramref name="currentDirectory"/>, or the repository's default one.</summary>
    public static string StateDirectoryOf(ParseResult result, Option<string?> option, string currentDirectory, string repositoryRoot) =>
        result.GetValue(option) is { } path ? Path.GetFullPath(path, currentDirectory) : Path.Combine(repositoryRoot, DefaultStateFolder);

    private ParseResult Read(IReadOnlyList<string> args) => _launcher.Parse([_command.Name, .. args], Configuration);

    private static T NotEmpty<T>(T option)
        where T : Option
    {
        option.Validators.Add(result =>
        {
            if (result.Tokens.Any(t => t.Value.Length == 0))
            {
                result.AddError($"{option.Name} needs a {option.HelpName}; it is empty.");
            }
        });
        return option;
    }
}
