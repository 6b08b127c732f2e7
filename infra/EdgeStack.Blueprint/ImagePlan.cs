namespace EdgeStack.Blueprint;

/// <summary>The container image of one app, built from the repository and pushed to the stack's registry.</summary>
/// <param name="LogicalName">The Pulumi logical name of the image resource.</param>
/// <param name="Repository">The repository in the registry, such as <c>edgestack/hello</c>.</param>
/// <param name="Tag">The tag pushed; the app runs the pushed digest, so a new build makes a new revision.</param>
/// <param name="Context">The build context relative to the Pulumi program folder (the repository root).</param>
/// <param name="Dockerfile">The Dockerfile relative to the Pulumi program folder.</param>
/// <param name="Platform">The platform built for.</param>
/// <param name="BuildArgs">The Dockerfile's build arguments (<c>APP</c> selects the app in the one <c>functions/Dockerfile</c>).</param>
public sealed record ImagePlan(string LogicalName, string Repository, string Tag, string Context, string Dockerfile, string Platform, IReadOnlyDictionary<string, string> BuildArgs);
