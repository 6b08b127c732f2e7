using System.Text.Json;
using System.Text.RegularExpressions;
using Cronos;

namespace EdgeStack.Blueprint;

/// <summary>
/// Reads function declarations: every folder <c>functions/&lt;name&gt;/</c> holding an <c>edgestack.json</c> is a function.
/// </summary>
/// <remarks>
/// <para>The file's keys (all optional but <c>kind</c>; see <c>docs/functions.md</c>):</para>
/// <code>
/// {
///   "kind": "http",                       // http | queue | scheduled
///   "ingress": "external",                // external | internal | none (default by kind: external, internal, none)
///   "requireKey": true,                   // callers present the function key (default true)
///   "analytics": "client",                // none | client | sink (default none)
///   "durableHandlers": ["upload"],        // handlers of its durable work; it consumes its own work queue
///   "schedule": "0 3 * * *",              // scheduled only: cron, UTC, five fields
///   "storage": { "containers": { "uploads": "readwrite" }, "queues": { }, "tables": { "analytics": "read" } }
/// }
/// </code>
/// <para>Every problem is collected; one <see cref="InvalidOperationException"/> lists them, each naming its file and key.</para>
/// </remarks>
public static partial class FunctionManifest
{
    /// <summary>The declaration's file name, in the function's folder.</summary>
    public const string FileName = "edgestack.json";

    /// <summary>The folder, relative to the repository root, whose sub-folders are functions.</summary>
    public const string FunctionsFolder = "functions";

    /// <summary>The longest function name: it is part of Azure resource names with their own limits.</summary>
    public const int MaxNameLength = 24;

    private static readonly string[] s_keys = ["$schema", "kind", "ingress", "requireKey", "analytics", "durableHandlers", "schedule", "storage"];

    /// <summary>Finds the repository root (the folder holding <c>Pulumi.yaml</c> and <c>functions/</c>) at or above a folder.</summary>
    /// <param name="start">Where to start looking, such as the current directory.</param>
    /// <returns>The root's full path.</returns>
    /// <exception cref="DirectoryNotFoundException">No such folder above <paramref name="start"/>.</exception>
    public static string FindRepositoryRoot(string start)
    {
        ArgumentException.ThrowIfNullOrEmpty(start);
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Pulumi.yaml")) && Directory.Exists(Path.Combine(dir.FullName, FunctionsFolder)))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No EdgeStack repository (Pulumi.yaml beside {FunctionsFolder}/) at or above {start}.");
    }

    /// <summary>Discovers and validates every function of a repository, ordered by name.</summary>
    /// <param name="repositoryRoot">The repository root.</param>
    /// <returns>The declarations.</returns>
    /// <exception cref="InvalidOperationException">A declaration is invalid; the message lists every problem with its file.</exception>
    public static IReadOnlyList<FunctionDeclaration> Discover(string repositoryRoot)
    {
        ArgumentException.ThrowIfNullOrEmpty(repositoryRoot);
        var functionsDir = Path.Combine(repositoryRoot, FunctionsFolder);
        var sources = Directory.Exists(functionsDir)
            ? Directory.EnumerateDirectories(functionsDir)
                .Where(dir => File.Exists(Path.Combine(dir, FileName)))
                .Select(dir => (Name: Path.GetFileName(dir), Json: File.ReadAllText(Path.Combine(dir, FileName))))
                .ToList()
            : [];
        return Parse(sources, dir => File.Exists(Path.Combine(functionsDir, dir, dir + ".csproj")));
    }

    /// <summary>Validates a set of declarations given as (folder name, file text) pairs; the seam <see cref="Discover"/> uses.</summary>
    /// <param name="sources">Each function's folder name and the text of its <c>edgestack.json</c>.</param>
    /// <param name="hasProject">Whether the folder holds its project, <c>&lt;name&gt;.csproj</c>.</param>
    /// <returns>The declarations, ordered by name.</returns>
    /// <exception cref="InvalidOperationException">A declaration is invalid; the message lists every problem with its file.</exception>
    public static IReadOnlyList<FunctionDeclaration> Parse(IEnumerable<(string Name, string Json)> sources, Func<string, bool> hasProject)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(hasProject);
        var errors = new List<string>();
        var functions = new List<FunctionDeclaration>();
        foreach (var (name, json) in sources.OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            var file = $"{FunctionsFolder}/{name}/{FileName}";
            if (NameProblem(name) is { } problem)
            {
                errors.Add($"{FunctionsFolder}/{name}: {problem}");
                continue;
            }

            if (!hasProject(name))
            {
                errors.Add($"{FunctionsFolder}/{name}: no project {name}.csproj beside {FileName}.");
                continue;
            }

            if (ReadOne(name, json, file, errors) is { } function)
            {
                functions.Add(function);
            }
        }

        var sinks = functions.Where(f => f.Analytics == AnalyticsRole.Sink).Select(f => f.Name).ToList();
        if (sinks.Count > 1)
        {
            errors.Add($"analytics: only one function may be the sink; {string.Join(", ", sinks)} all say \"analytics\": \"sink\".");
        }

        if (sinks.Count == 0 && functions.FirstOrDefault(f => f.Analytics == AnalyticsRole.Client) is { } client)
        {
            errors.Add($"{FunctionsFolder}/{client.Name}/{FileName}: analytics: \"client\" needs a function with \"analytics\": \"sink\", and there is none.");
        }

        var handlers = functions.SelectMany(f => f.DurableHandlers.Select(h => (Handler: h, Function: f.Name)))
            .GroupBy(h => h.Handler, StringComparer.Ordinal)
            .Where(g => g.Count() > 1);
        foreach (var group in handlers)
        {
            errors.Add($"durableHandlers: '{group.Key}' is declared by {string.Join(" and ", group.Select(g => g.Function))}; a handler belongs to one function.");
        }

        if (errors.Count > 0)
        {
            throw new InvalidOperationException(
                "The function declarations are invalid:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  - " + e)));
        }

        return functions;
    }

    /// <summary>Why a name cannot be a function's name, or null when it can.</summary>
    /// <param name="name">A proposed name.</param>
    /// <returns>The problem, naming the rule, or null.</returns>
    public static string? NameProblem(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "a function needs a name.";
        }

        if (name.Length > MaxNameLength)
        {
            return $"'{name}' is longer than {MaxNameLength} characters (it becomes part of Azure resource names).";
        }

        return NamePattern().IsMatch(name)
            ? null
            : $"'{name}' is not a function name: use lowercase letters and digits, starting with a letter, words joined by single hyphens (a DNS label, such as 'thumbnail' or 'image-resize').";
    }

    /// <summary>The PascalCase form of a function name, used for its C# namespace: <c>image-resize</c> → <c>ImageResize</c>.</summary>
    /// <param name="name">A valid function name.</param>
    /// <returns>The PascalCase form.</returns>
    public static string PascalCase(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return string.Concat(name.Split('-').Select(part => char.ToUpperInvariant(part[0]) + part[1..]));
    }

    private static FunctionDeclaration? ReadOne(string name, string json, string file, List<string> errors)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException exception)
        {
            errors.Add($"{file}: not valid JSON ({exception.Message}).");
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                errors.Add($"{file}: must be a JSON object.");
                return null;
            }

            var count = errors.Count;
            foreach (var property in root.EnumerateObject().Where(p => !s_keys.Contains(p.Name, StringComparer.Ordinal)))
            {
                errors.Add($"{file}: '{property.Name}' is not a declaration key; expected one of {string.Join(", ", s_keys.Skip(1))}.");
            }

            FunctionKind? kind = root.TryGetProperty("kind", out var kindValue)
                ? Enum<FunctionKind>(kindValue, file, "kind", errors, ("http", FunctionKind.Http), ("queue", FunctionKind.Queue), ("scheduled", FunctionKind.Scheduled))
                : null;
            if (kind is null)
            {
                if (!root.TryGetProperty("kind", out _))
                {
                    errors.Add($"{file}: 'kind' is required: http, queue or scheduled.");
                }

                return null;
            }

            var ingress = kind switch
            {
                FunctionKind.Http => IngressMode.External,
                FunctionKind.Queue => IngressMode.Internal,
                _ => IngressMode.None,
            };
            if (root.TryGetProperty("ingress", out var ingressValue)
                && Enum(ingressValue, file, "ingress", errors, ("external", IngressMode.External), ("internal", IngressMode.Internal), ("none", IngressMode.None)) is { } declared)
            {
                if (kind == FunctionKind.Scheduled && declared != IngressMode.None)
                {
                    errors.Add($"{file}: ingress: a scheduled function is a job and has no ingress; remove the key or say \"none\".");
                }
                else if (kind == FunctionKind.Queue && declared == IngressMode.External)
                {
                    errors.Add($"{file}: ingress: a queue function is not public; use \"internal\" or \"none\".");
                }
                else
                {
                    ingress = declared;
                }
            }

            var requireKey = true;
            if (root.TryGetProperty("requireKey", out var requireKeyValue))
            {
                if (requireKeyValue.ValueKind is JsonValueKind.True or JsonValueKind.False)
                {
                    requireKey = requireKeyValue.GetBoolean();
                }
                else
                {
                    errors.Add($"{file}: requireKey: '{requireKeyValue.GetRawText()}' is not true or false.");
                }
            }

            var analytics = root.TryGetProperty("analytics", out var analyticsValue)
                ? Enum(analyticsValue, file, "analytics", errors, ("none", AnalyticsRole.None), ("client", AnalyticsRole.Client), ("sink", AnalyticsRole.Sink)) ?? AnalyticsRole.None
                : AnalyticsRole.None;
            if (analytics == AnalyticsRole.Sink && ingress == IngressMode.None)
            {
                errors.Add($"{file}: analytics: the sink must have ingress so the clients can reach it.");
            }

            var handlers = ReadHandlers(root, file, errors);
            if (kind == FunctionKind.Queue && handlers.Count == 0)
            {
                errors.Add($"{file}: durableHandlers: a queue function consumes its own work queue, so it needs at least one handler.");
            }

            var schedule = ReadSchedule(root, kind.Value, file, errors);
            var storage = ReadStorage(root, file, errors);
            return errors.Count > count
                ? null
                : new FunctionDeclaration
                {
                    Name = name,
                    Kind = kind.Value,
                    DefaultIngress = ingress,
                    RequireKey = requireKey,
                    Analytics = analytics,
                    DurableHandlers = handlers,
                    Schedule = schedule,
                    Storage = storage,
                };
        }
    }

    private static List<string> ReadHandlers(JsonElement root, string file, List<string> errors)
    {
        var handlers = new List<string>();
        if (!root.TryGetProperty("durableHandlers", out var value))
        {
            return handlers;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            errors.Add($"{file}: durableHandlers: must be an array of handler names.");
            return handlers;
        }

        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String && item.GetString() is { Length: > 0 } handler && HandlerPattern().IsMatch(handler))
            {
                if (handlers.Contains(handler, StringComparer.Ordinal))
                {
                    errors.Add($"{file}: durableHandlers: '{handler}' is listed twice.");
                }
                else
                {
                    handlers.Add(handler);
                }
            }
            else
            {
                errors.Add($"{file}: durableHandlers: '{item.GetRawText()}' is not a handler name (letters, digits, '-', '_', '.').");
            }
        }

        return handlers;
    }

    private static string? ReadSchedule(JsonElement root, FunctionKind kind, string file, List<string> errors)
    {
        var has = root.TryGetProperty("schedule", out var value);
        if (kind != FunctionKind.Scheduled)
        {
            if (has)
            {
                errors.Add($"{file}: schedule: only a scheduled function has a schedule; remove it or say \"kind\": \"scheduled\".");
            }

            return null;
        }

        if (!has || value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 } cron)
        {
            errors.Add($"{file}: schedule: a scheduled function needs a cron expression (UTC, five fields), such as \"0 3 * * *\".");
            return null;
        }

        return ScheduleProblem(cron) is { } problem ? Add(errors, $"{file}: schedule: {problem}") : cron;
    }

    /// <summary>Why a cron expression cannot be a schedule, or null when it can (UTC, five fields: minute hour day month weekday).</summary>
    /// <param name="cron">The expression.</param>
    /// <returns>The problem, or null.</returns>
    public static string? ScheduleProblem(string cron)
    {
        ArgumentNullException.ThrowIfNull(cron);
        var fields = cron.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        if (fields != 5)
        {
            return $"'{cron}' has {fields} fields; use five (minute hour day-of-month month day-of-week, UTC).";
        }

        try
        {
            _ = CronExpression.Parse(cron, CronFormat.Standard);
            return null;
        }
        catch (CronFormatException exception)
        {
            return $"'{cron}' is not a valid cron expression: {exception.Message}";
        }
    }

    private static List<StorageNeed> ReadStorage(JsonElement root, string file, List<string> errors)
    {
        var needs = new List<StorageNeed>();
        if (!root.TryGetProperty("storage", out var storage))
        {
            return needs;
        }

        if (storage.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{file}: storage: must be an object with 'containers', 'queues' and 'tables'.");
            return needs;
        }

        foreach (var group in storage.EnumerateObject())
        {
            StorageKind? kind = group.Name switch
            {
                "containers" => StorageKind.Container,
                "queues" => StorageKind.Queue,
                "tables" => StorageKind.Table,
                _ => null,
            };
            if (kind is null || group.Value.ValueKind != JsonValueKind.Object)
            {
                errors.Add($"{file}: storage.{group.Name}: expected 'containers', 'queues' or 'tables', each an object of name: \"read\" | \"readwrite\".");
                continue;
            }

            foreach (var resource in group.Value.EnumerateObject())
            {
                var key = $"storage.{group.Name}.{resource.Name}";
                if (StorageNameProblem(kind.Value, resource.Name) is { } problem)
                {
                    errors.Add($"{file}: {key}: {problem}");
                }
                else if (Enum(resource.Value, file, key, errors, ("read", StorageAccess.Read), ("readwrite", StorageAccess.ReadWrite)) is { } access)
                {
                    needs.Add(new StorageNeed(kind.Value, resource.Name, access));
                }
            }
        }

        return needs;
    }

    private static string? StorageNameProblem(StorageKind kind, string name) => kind switch
    {
        // Containers and queues: 3-63 lowercase letters, digits and single hyphens; tables: 3-63 letters and digits, starting with a letter.
        StorageKind.Container or StorageKind.Queue when !(name.Length is >= 3 and <= 63 && StoragePattern().IsMatch(name)) =>
            $"'{name}' is not a valid {(kind == StorageKind.Queue ? "queue" : "container")} name (3-63 lowercase letters, digits and single hyphens).",
        StorageKind.Table when !(name.Length is >= 3 and <= 63 && char.IsAsciiLetter(name[0]) && name.All(char.IsAsciiLetterOrDigit)) =>
            $"'{name}' is not a valid table name (3-63 letters and digits, starting with a letter).",
        _ => null,
    };

    private static T? Enum<T>(JsonElement value, string file, string key, List<string> errors, params (string Wire, T Value)[] allowed)
        where T : struct
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            foreach (var (wire, result) in allowed)
            {
                if (string.Equals(value.GetString(), wire, StringComparison.Ordinal))
                {
                    return result;
                }
            }
        }

        errors.Add($"{file}: {key}: '{(value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText())}' is not one of {string.Join(", ", allowed.Select(a => a.Wire))}.");
        return null;
    }

    private static string? Add(List<string> errors, string error)
    {
        errors.Add(error);
        return null;
    }

    [GeneratedRegex("^[a-z][a-z0-9]*(-[a-z0-9]+)*$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex HandlerPattern();

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex StoragePattern();
}
