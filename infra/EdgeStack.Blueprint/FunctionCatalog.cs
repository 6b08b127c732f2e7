using EdgeStack.Contracts;

namespace EdgeStack.Blueprint;

/// <summary>The one table of EdgeStack's function apps: name, project folder, kind and defaults.</summary>
public static class FunctionCatalog
{
    /// <summary>Every function in <see cref="FunctionNames.All"/> order (the analytics sink first).</summary>
    public static IReadOnlyList<FunctionDefinition> All { get; } =
    [
        new(FunctionNames.Analytics, "functions/EdgeStack.Functions.Analytics", FunctionKind.Http, ExternalByDefault: false, RequireKeyByDefault: true, CallsAnalytics: false),
        new(FunctionNames.Worker, "functions/EdgeStack.Functions.Worker", FunctionKind.QueueWorker, ExternalByDefault: false, RequireKeyByDefault: true, CallsAnalytics: false),
        new(FunctionNames.Hello, "functions/EdgeStack.Functions.Hello", FunctionKind.Http, ExternalByDefault: true, RequireKeyByDefault: true, CallsAnalytics: true),
        new(FunctionNames.Upload, "functions/EdgeStack.Functions.Upload", FunctionKind.Http, ExternalByDefault: true, RequireKeyByDefault: true, CallsAnalytics: true),
    ];

    /// <summary>Finds a function by name.</summary>
    /// <param name="name">A function name.</param>
    /// <returns>The definition, or null when no function has that name.</returns>
    public static FunctionDefinition? Find(string name) =>
        All.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.Ordinal));
}
