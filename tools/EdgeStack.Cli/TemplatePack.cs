using System.Text.Json;

namespace EdgeStack.Cli;

/// <summary>The repository's <c>dotnet new</c> template pack (<c>templates/</c>) and what it generates.</summary>
internal static class TemplatePack
{
    /// <summary>The pack's folder, relative to the repository root: <c>dotnet new install</c> takes it as it is.</summary>
    public const string Folder = "templates";

    /// <summary>The template's short name.</summary>
    public const string ShortName = "edgestack-function";

    /// <summary>The repository-local template hive, so installing the pack changes nothing outside the repository.</summary>
    public static readonly string Hive = Path.Combine(".edgestack", "templates");

    /// <summary>The template's configuration, relative to the repository root.</summary>
    public static readonly string TemplateJson = Path.Combine(Folder, "content", ShortName, ".template.config", "template.json");

    /// <summary>The template's kind whose functions have a cron schedule (its <c>schedule</c> parameter): the declaration's wire name of <see cref="EdgeStack.Blueprint.FunctionKind.Scheduled"/>.</summary>
    public static readonly string ScheduledKind = EdgeStack.Blueprint.FunctionKind.Scheduled.ToString().ToLowerInvariant();

    /// <summary>The kinds the template can generate: the choices of its <c>kind</c> parameter, so a new kind is one edit of the template.</summary>
    /// <param name="repositoryRoot">The repository root.</param>
    /// <returns>The kinds, the template's default first.</returns>
    /// <exception cref="InvalidOperationException">The template is missing or has no <c>kind</c> choices.</exception>
    public static IReadOnlyList<string> Kinds(string repositoryRoot)
    {
        using var document = Read(repositoryRoot);
        if (!document.RootElement.TryGetProperty("symbols", out var symbols)
            || !symbols.TryGetProperty("kind", out var kind)
            || !kind.TryGetProperty("choices", out var choices))
        {
            throw new InvalidOperationException($"{TemplateJson}: symbols.kind.choices is missing.");
        }

        var kinds = choices.EnumerateArray().Select(c => c.GetProperty("choice").GetString()!).ToList();
        var preferred = kind.TryGetProperty("defaultValue", out var value) ? value.GetString() : null;
        return [.. kinds.OrderBy(k => k == preferred ? 0 : 1)];
    }

    /// <summary>The schedule a scheduled function gets unless told otherwise: the default of the template's <c>schedule</c> parameter.</summary>
    /// <param name="repositoryRoot">The repository root.</param>
    /// <returns>The cron expression, or null when the template has no such parameter.</returns>
    /// <exception cref="InvalidOperationException">The template is missing.</exception>
    public static string? DefaultSchedule(string repositoryRoot)
    {
        using var document = Read(repositoryRoot);
        return document.RootElement.TryGetProperty("symbols", out var symbols)
            && symbols.TryGetProperty("schedule", out var schedule)
            && schedule.TryGetProperty("defaultValue", out var value)
            ? value.GetString()
            : null;
    }

    private static JsonDocument Read(string repositoryRoot)
    {
        var path = Path.Combine(repositoryRoot, TemplateJson);
        return File.Exists(path)
            ? JsonDocument.Parse(File.ReadAllText(path))
            : throw new InvalidOperationException($"The template pack is missing: no {TemplateJson} in {repositoryRoot}.");
    }

    /// <summary>The function's folder, relative to the repository root.</summary>
    public static string FunctionFolder(string name) => Path.Combine(EdgeStack.Blueprint.FunctionManifest.FunctionsFolder, name);

    /// <summary>The function's test project folder, relative to the repository root.</summary>
    public static string TestsFolder(string name) => Path.Combine("tests", name + ".Tests");
}
