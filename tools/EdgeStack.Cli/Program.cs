using System.CommandLine;
using EdgeStack.Cli;

// The launcher's C# commands (./edgestack new, ./edgestack readme). The launcher runs it from the repository root.
var root = new RootCommand("EdgeStack's commands; ./edgestack runs them.")
{
    NewCommand.Create(Environment.CurrentDirectory, Console.Out, Console.Error),
    ReadmeCommand.Create(Environment.CurrentDirectory, Console.Out, Console.Error),
};
var parse = root.Parse(args);
if (parse.Action is System.CommandLine.Invocation.ParseErrorAction errors)
{
    // A refused argument gets its message, not the whole help page (--help shows that).
    errors.ShowHelp = false;
}

return await parse.InvokeAsync();
