namespace EdgeStack.Blueprint;

/// <summary>What the stack must know about one function app: its project, its kind and its defaults.</summary>
/// <param name="Name">The function's name, one of <see cref="EdgeStack.Contracts.FunctionNames"/>.</param>
/// <param name="ProjectFolder">The app's project folder, <c>functions/EdgeStack.Functions.{App}</c>.</param>
/// <param name="Kind">Whether the app serves HTTP or consumes the queue.</param>
/// <param name="ExternalByDefault">Whether its ingress is public unless the stack says otherwise.</param>
/// <param name="RequireKeyByDefault">Whether callers must present the function key unless the stack says otherwise.</param>
/// <param name="CallsAnalytics">Whether the app sends events to the analytics sink, so it needs its URL and key.</param>
public sealed record FunctionDefinition(
    string Name,
    string ProjectFolder,
    FunctionKind Kind,
    bool ExternalByDefault,
    bool RequireKeyByDefault,
    bool CallsAnalytics)
{
    /// <summary>The prefix of every app's project folder; the rest is the <c>APP</c> argument of <c>functions/Dockerfile</c>.</summary>
    public const string ProjectFolderPrefix = "functions/EdgeStack.Functions.";

    /// <summary>Gets the <c>APP</c> build argument that selects this app in <c>functions/Dockerfile</c>.</summary>
    public string DockerfileApp => ProjectFolder.StartsWith(ProjectFolderPrefix, StringComparison.Ordinal)
        ? ProjectFolder[ProjectFolderPrefix.Length..]
        : throw new InvalidOperationException($"{ProjectFolder} is not under {ProjectFolderPrefix}.");
}
