using System.CommandLine;
using EdgeStack.Blueprint;

namespace EdgeStack.Cli;

/// <summary><c>readme [--check]</c>: writes the README's functions table from the declarations, or checks that it is current.</summary>
internal static class ReadmeCommand
{
    /// <summary>Builds the command for the repository at or above <paramref name="currentDirectory"/>.</summary>
    public static Command Create(string currentDirectory, TextWriter output, TextWriter error)
    {
        var check = new Option<bool>("--check") { Description = "Change nothing; fail if the table is not what the declarations say." };
        var command = new Command("readme", $"Write the functions table of {ReadmeTable.File} from functions/*/edgestack.json and each project's Description.")
        {
            check,
        };
        command.SetAction(async parse =>
        {
            try
            {
                var root = FunctionManifest.FindRepositoryRoot(currentDirectory);
                if (!parse.GetValue(check))
                {
                    await output.WriteLineAsync(ReadmeTable.Update(root) ? $"{ReadmeTable.File}: functions table written." : $"{ReadmeTable.File}: functions table is current.");
                    return 0;
                }

                var text = await File.ReadAllTextAsync(Path.Combine(root, ReadmeTable.File));
                if (ReadmeTable.Replace(text, ReadmeTable.Render(root)) is not { } expected)
                {
                    await error.WriteLineAsync($"edgestack readme: {ReadmeTable.File} has no functions table markers ({ReadmeTable.End}).");
                    return 1;
                }

                if (expected != text)
                {
                    await error.WriteLineAsync($"edgestack readme: the functions table of {ReadmeTable.File} is not what the declarations say; run ./edgestack readme.");
                    return 1;
                }

                return 0;
            }
            catch (Exception exception) when (exception is DirectoryNotFoundException or InvalidOperationException or IOException)
            {
                await error.WriteLineAsync("edgestack readme: " + exception.Message);
                return 1;
            }
        });
        return command;
    }
}
