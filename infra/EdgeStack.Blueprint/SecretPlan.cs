namespace EdgeStack.Blueprint;

/// <summary>A Container App secret whose value is a Pulumi config secret.</summary>
/// <param name="Name">The secret's name in the app (lowercase letters, digits and hyphens).</param>
/// <param name="ConfigKey">The stack config key that holds the value, without the project prefix.</param>
public sealed record SecretPlan(string Name, string ConfigKey);
