namespace EdgeStack.Blueprint;

/// <summary>A Container App secret holding a function's key (generated, or overridden in stack config; see <see cref="FunctionKeyPlan"/>).</summary>
/// <param name="Name">The secret's name in the app (lowercase letters, digits and hyphens).</param>
/// <param name="FunctionName">The function whose key it holds: the app's own, or the analytics sink's for a client.</param>
/// <param name="Use">Which of that function's keys: the one callers present, or the sink's read key.</param>
public sealed record SecretPlan(string Name, string FunctionName, FunctionKeyUse Use = FunctionKeyUse.Call);
