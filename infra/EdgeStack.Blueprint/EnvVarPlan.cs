namespace EdgeStack.Blueprint;

/// <summary>One container environment variable.</summary>
/// <param name="Name">The variable name, from <see cref="EdgeStack.Contracts.SettingNames.ToEnvironmentVariable"/>.</param>
/// <param name="Source">Where the value comes from.</param>
/// <param name="Value">The literal value, the secret's name or the function's name, by <paramref name="Source"/>; empty for the others.</param>
public sealed record EnvVarPlan(string Name, EnvValueSource Source, string Value);
