using System.Text.RegularExpressions;

namespace EdgeStack.Blueprint;

/// <summary>Azure's naming rules for the resources EdgeStack creates.</summary>
public static partial class NameRules
{
    /// <summary>Resource groups: 1–90 letters, digits, hyphens, underscores, periods, parentheses; not ending in a period.</summary>
    /// <param name="name">A candidate name.</param>
    /// <returns>True when Azure accepts it.</returns>
    public static bool IsValidResourceGroupName(string name) => ResourceGroup().IsMatch(name);

    /// <summary>Log Analytics workspaces: 4–63 letters, digits and hyphens, starting and ending alphanumeric.</summary>
    /// <param name="name">A candidate name.</param>
    /// <returns>True when Azure accepts it.</returns>
    public static bool IsValidWorkspaceName(string name) => Workspace().IsMatch(name);

    /// <summary>Storage accounts: 3–24 lowercase letters and digits, globally unique.</summary>
    /// <param name="name">A candidate name.</param>
    /// <returns>True when Azure accepts it.</returns>
    public static bool IsValidStorageAccountName(string name) => StorageAccount().IsMatch(name);

    /// <summary>Container registries: 5–50 letters and digits, globally unique (kept lowercase here).</summary>
    /// <param name="name">A candidate name.</param>
    /// <returns>True when Azure accepts it.</returns>
    public static bool IsValidRegistryName(string name) => Registry().IsMatch(name);

    /// <summary>User-assigned identities: 3–128 letters, digits, hyphens and underscores, starting alphanumeric.</summary>
    /// <param name="name">A candidate name.</param>
    /// <returns>True when Azure accepts it.</returns>
    public static bool IsValidIdentityName(string name) => Identity().IsMatch(name);

    /// <summary>Container Apps environments: 2–60 lowercase letters, digits and hyphens, starting with a letter, ending alphanumeric, no "--".</summary>
    /// <param name="name">A candidate name.</param>
    /// <returns>True when Azure accepts it.</returns>
    public static bool IsValidEnvironmentName(string name) => IsKebab(name, 60);

    /// <summary>Container apps: 2–32 lowercase letters, digits and hyphens, starting with a letter, ending alphanumeric, no "--".</summary>
    /// <param name="name">A candidate name.</param>
    /// <returns>True when Azure accepts it.</returns>
    public static bool IsValidContainerAppName(string name) => IsKebab(name, 32);

    private static bool IsKebab(string name, int maxLength) =>
        name.Length >= 2 && name.Length <= maxLength && Kebab().IsMatch(name) && !name.Contains("--", StringComparison.Ordinal);

    [GeneratedRegex(@"^[A-Za-z0-9_().\-]{0,89}[A-Za-z0-9_()\-]$")]
    private static partial Regex ResourceGroup();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9\-]{2,61}[A-Za-z0-9]$")]
    private static partial Regex Workspace();

    [GeneratedRegex(@"^[a-z0-9]{3,24}$")]
    private static partial Regex StorageAccount();

    [GeneratedRegex(@"^[a-z0-9]{5,50}$")]
    private static partial Regex Registry();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_\-]{2,127}$")]
    private static partial Regex Identity();

    [GeneratedRegex(@"^[a-z][a-z0-9\-]*[a-z0-9]$")]
    private static partial Regex Kebab();
}
