using EdgeStack.Blueprint;

namespace EdgeStack.Cli;

/// <summary>
/// Creates a function with <c>dotnet new edgestack-function</c> and adds its projects to the solution; a refused name
/// leaves everything as it was, and a step that fails undoes the ones before it.
/// </summary>
internal sealed class FunctionScaffolder(string repositoryRoot, TextWriter output, TextWriter error)
{
    /// <summary>The solution the function's projects are added to.</summary>
    public const string Solution = "EdgeStack.sln";

    /// <summary>Validates the name, generates the function and its tests, adds them to the solution and the README's table, and prints the next steps.</summary>
    /// <param name="name">The function's name.</param>
    /// <param name="kind">One of the template's kinds.</param>
    /// <param name="schedule">A scheduled function's cron expression, or null for the template's default.</param>
    /// <param name="cancellationToken">Stops the steps; what was done is undone.</param>
    /// <returns>The exit code: 0 created, 2 refused (nothing created), 1 a step failed (undone).</returns>
    public async Task<int> CreateAsync(string name, string kind, string? schedule, CancellationToken cancellationToken)
    {
        var functionFolder = TemplatePack.FunctionFolder(name);
        var testsFolder = TemplatePack.TestsFolder(name);
        var solution = Path.Combine(repositoryRoot, Solution);
        var refusal = FunctionManifest.NameProblem(name)
            ?? (Exists(functionFolder) ? $"{functionFolder} already exists: there is a function named '{name}'; choose another name." : null)
            ?? (Exists(testsFolder) ? $"{testsFolder} already exists; choose another name, or remove that folder." : null)
            ?? (File.Exists(solution) ? null : $"{Solution} is missing in {repositoryRoot}.");
        if (refusal is not null)
        {
            await error.WriteLineAsync("edgestack new: " + refusal);
            return 2;
        }

        var solutionBefore = await File.ReadAllBytesAsync(solution, cancellationToken);
        var readme = Path.Combine(repositoryRoot, ReadmeTable.File);
        var readmeBefore = File.Exists(readme) ? await File.ReadAllBytesAsync(readme, cancellationToken) : null;
        try
        {
            await RunAsync("installing the template pack", cancellationToken, "new", "install", TemplatePack.Folder, "--force", "--debug:custom-hive", TemplatePack.Hive);
            string[] scheduleArguments = schedule is null ? [] : ["--schedule", schedule];
            await RunAsync("dotnet new " + TemplatePack.ShortName, cancellationToken,
                ["new", TemplatePack.ShortName, "--name", name, "--kind", kind, .. scheduleArguments, "--output", ".", "--debug:custom-hive", TemplatePack.Hive]);

            // The new declaration must stand with the others (a durable handler's name is unique across functions; a schedule is a valid cron expression).
            _ = FunctionManifest.Discover(repositoryRoot);
            await RunAsync("adding the projects to " + Solution, cancellationToken, "sln", Solution, "add",
                Path.Combine(functionFolder, name + ".csproj"), Path.Combine(testsFolder, name + ".Tests.csproj"));
            ReadmeTable.Update(repositoryRoot);
        }
        catch (Exception exception) when (exception is StepFailedException or InvalidOperationException or OperationCanceledException or IOException)
        {
            Delete(functionFolder);
            Delete(testsFolder);
            await File.WriteAllBytesAsync(solution, solutionBefore, CancellationToken.None);
            if (readmeBefore is not null)
            {
                await File.WriteAllBytesAsync(readme, readmeBefore, CancellationToken.None);
            }

            await error.WriteLineAsync($"edgestack new: {exception.Message}{Environment.NewLine}Nothing was created: {functionFolder}, {testsFolder}, {Solution} and {ReadmeTable.File} are as they were.");
            return 1;
        }

        var pascal = FunctionManifest.PascalCase(name);
        var scheduled = kind == TemplatePack.ScheduledKind;
        var (code, tests, serve) = scheduled
            ? ($"{pascal}Run.cs", "its tests: runs of the built function as real processes, exit code and logged result",
                $"./edgestack run {name}   runs it once now; ./edgestack serve runs it on its schedule (edgestack.json)")
            : ($"{pascal}Endpoints.cs", "its tests: the built function as a real process, with and without its key",
                "./edgestack serve   serves it with the others; its URL and key are in .edgestack/serve.json");
        await output.WriteLineAsync($"""
            Created the {kind} function '{name}':
              {functionFolder}/  {name}.csproj, edgestack.json (its declaration: docs/functions.md), Program.cs, {code}
              {testsFolder}/  {tests}
            Both projects are in {Solution}; the function is in {ReadmeTable.File}'s functions table.

            Next:
              dotnet test {testsFolder} -c Release   builds it (warnings are errors) and runs its tests
              {serve}
              pulumi up           deploys it with the defaults{(scheduled ? ", as a Container Apps Job" : "")} (docs/deploy.md)
            """);
        return 0;
    }

    private bool Exists(string relative) => Path.Exists(Path.Combine(repositoryRoot, relative));

    private void Delete(string relative)
    {
        var path = Path.Combine(repositoryRoot, relative);
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }

    private async Task RunAsync(string step, CancellationToken cancellationToken, params string[] arguments)
    {
        var (exitCode, text) = await DotnetCommand.RunAsync(repositoryRoot, arguments, cancellationToken);
        if (exitCode != 0)
        {
            throw new StepFailedException($"{step} failed (dotnet exited with {exitCode}):{Environment.NewLine}{text.TrimEnd()}");
        }
    }

    /// <summary>A dotnet step exited with an error; <see cref="CreateAsync"/> undoes what was done and reports it.</summary>
    private sealed class StepFailedException(string message) : Exception(message);
}
