using System.CommandLine;
using EdgeStack.Blueprint;

namespace EdgeStack.Cli;

/// <summary><c>new &lt;name&gt; [--kind k] [--schedule cron]</c>: creates a function and its tests from the repository's template pack.</summary>
internal static class NewCommand
{
    /// <summary>Builds the command for the repository at or above <paramref name="currentDirectory"/>.</summary>
    public static Command Create(string currentDirectory, TextWriter output, TextWriter error)
    {
        // The kinds come from the template, so a kind added there is accepted here; without a repository, the action says so.
        string? root = null;
        IReadOnlyList<string> kinds = [];
        string? defaultSchedule = null;
        string? problem = null;
        try
        {
            root = FunctionManifest.FindRepositoryRoot(currentDirectory);
            kinds = TemplatePack.Kinds(root);
            defaultSchedule = TemplatePack.DefaultSchedule(root);
        }
        catch (Exception exception) when (exception is DirectoryNotFoundException or InvalidOperationException or IOException or System.Text.Json.JsonException)
        {
            problem = exception.Message;
        }

        var name = new Argument<string>("name")
        {
            Description = $"The function's name: its folder functions/<name>/, project, assembly and Azure app. A DNS label: lowercase letters and digits, words joined by single hyphens, at most {FunctionManifest.MaxNameLength} characters.",
        };
        var kind = new Option<string>("--kind")
        {
            Description = "What the function is (see docs/functions.md).",
            DefaultValueFactory = _ => kinds.Count > 0 ? kinds[0] : "http",
        };
        if (kinds.Count > 0)
        {
            kind.AcceptOnlyFromAmong([.. kinds]);
        }

        // No default here: the template's is the one (the declaration's reader validates whatever is given).
        var schedule = new Option<string?>("--schedule")
        {
            Description = $"A {TemplatePack.ScheduledKind} function's cron schedule, UTC, five fields in quotes (default: \"{defaultSchedule}\").",
        };
        schedule.Validators.Add(result =>
        {
            if (result.GetValue(kind) != TemplatePack.ScheduledKind)
            {
                result.AddError($"--schedule is only for --kind {TemplatePack.ScheduledKind}.");
            }
            else if (result.GetValue(schedule) is { } cron && FunctionManifest.ScheduleProblem(cron) is { } cronProblem)
            {
                result.AddError("--schedule: " + cronProblem);
            }
        });

        var command = new Command("new", "Create a function: functions/<name>/ (project, edgestack.json, Program.cs) and its tests in tests/<name>.Tests/, both added to EdgeStack.sln.")
        {
            name,
            kind,
            schedule,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (root is null || problem is not null)
            {
                await error.WriteLineAsync("edgestack new: " + problem);
                return 1;
            }

            return await new FunctionScaffolder(root, output, error).CreateAsync(parse.GetValue(name)!, parse.GetValue(kind)!, parse.GetValue(schedule), cancellationToken);
        });
        return command;
    }
}
