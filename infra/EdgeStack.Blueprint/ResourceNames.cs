using System.Security.Cryptography;
using System.Text;

namespace EdgeStack.Blueprint;

/// <summary>The Azure names of a stack's resources: deterministic from its <see cref="StackIdentity"/>.</summary>
/// <remarks>
/// Names that must be globally unique (storage account, registry) carry a short hash of the subscription,
/// project and stack, so the same stack always gets the same names and two subscriptions never collide.
/// Container app names are per function, see <see cref="ContainerApp"/>.
/// </remarks>
public sealed record ResourceNames
{
    private const int HashLength = 8;

    /// <summary>The resource group.</summary>
    public required string ResourceGroup { get; init; }

    /// <summary>The Log Analytics workspace.</summary>
    public required string Workspace { get; init; }

    /// <summary>The Container Apps managed environment.</summary>
    public required string Environment { get; init; }

    /// <summary>The virtual network of the Container Apps environment.</summary>
    public required string VirtualNetwork { get; init; }

    /// <summary>The container registry (globally unique).</summary>
    public required string Registry { get; init; }

    /// <summary>The storage account (globally unique).</summary>
    public required string StorageAccount { get; init; }

    /// <summary>The prefix of every container app name, such as <c>edgestack-dev</c>.</summary>
    public required string AppPrefix { get; init; }

    /// <summary>The stack's short hash, used where a name must be shortened or made globally unique.</summary>
    public required string Hash { get; init; }

    /// <summary>Derives every name from the stack's identity.</summary>
    /// <param name="identity">The subscription, project and stack.</param>
    /// <returns>The names; check them with <see cref="Problems"/>.</returns>
    public static ResourceNames Create(StackIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);

        var hash = Convert.ToHexStringLower(
            SHA256.HashData(Encoding.UTF8.GetBytes($"{identity.SubscriptionId}/{identity.Project}/{identity.Stack}")))[..HashLength];
        var kebab = Kebab($"{identity.Project}-{identity.Stack}");
        var alphanumeric = new string([.. kebab.Where(char.IsAsciiLetterOrDigit)]);

        return new ResourceNames
        {
            ResourceGroup = Fit("rg-" + kebab, string.Empty, 90, hash),
            Workspace = Fit("log-" + kebab, string.Empty, 63, hash),
            Environment = Fit("cae-" + kebab, string.Empty, 60, hash),
            VirtualNetwork = Fit("vnet-" + kebab, string.Empty, 64, hash),
            StorageAccount = Truncate("st" + alphanumeric, 24 - HashLength) + hash,
            Registry = Truncate("acr" + alphanumeric, 50 - HashLength) + hash,
            AppPrefix = kebab,
            Hash = hash,
        };
    }

    /// <summary>The container app name of a function: <c>&lt;project&gt;-&lt;stack&gt;-&lt;function&gt;</c>, shortened with the hash past 32 characters.</summary>
    /// <param name="functionName">A function name.</param>
    /// <returns>The app name.</returns>
    public string ContainerApp(string functionName)
    {
        ArgumentException.ThrowIfNullOrEmpty(functionName);
        return Fit(AppPrefix, functionName, 32, Hash);
    }

    /// <summary>The user-assigned identity of a function: <c>id-&lt;project&gt;-&lt;stack&gt;-&lt;function&gt;</c>.</summary>
    /// <param name="functionName">A function name.</param>
    /// <returns>The identity name.</returns>
    public string Identity(string functionName)
    {
        ArgumentException.ThrowIfNullOrEmpty(functionName);
        return Fit("id-" + AppPrefix, functionName, 128, Hash);
    }

    /// <summary>Every name that breaks its resource's naming rules, with the rule it breaks.</summary>
    /// <param name="functionNames">The functions whose container app and identity names to check as well.</param>
    /// <returns>An empty list when every name is valid.</returns>
    public IReadOnlyList<string> Problems(IEnumerable<string> functionNames)
    {
        ArgumentNullException.ThrowIfNull(functionNames);

        var problems = new List<string>();
        Check(NameRules.IsValidResourceGroupName(ResourceGroup), "resource group", ResourceGroup, "1-90 letters, digits, '-', '_', '.', '(' or ')', not ending in '.'");
        Check(NameRules.IsValidWorkspaceName(Workspace), "Log Analytics workspace", Workspace, "4-63 letters, digits and hyphens, starting and ending alphanumeric");
        Check(NameRules.IsValidEnvironmentName(Environment), "Container Apps environment", Environment, "2-60 lowercase letters, digits and single hyphens, starting with a letter");
        Check(NameRules.IsValidStorageAccountName(StorageAccount), "storage account", StorageAccount, "3-24 lowercase letters and digits");
        Check(NameRules.IsValidRegistryName(Registry), "container registry", Registry, "5-50 lowercase letters and digits");
        foreach (var function in functionNames)
        {
            var app = ContainerApp(function);
            Check(NameRules.IsValidContainerAppName(app), "container app", app, "2-32 lowercase letters, digits and single hyphens, starting with a letter");
            var identity = Identity(function);
            Check(NameRules.IsValidIdentityName(identity), "identity", identity, "3-128 letters, digits, '-' and '_', starting alphanumeric");
        }

        return problems;

        void Check(bool valid, string kind, string name, string rule)
        {
            if (!valid)
            {
                problems.Add($"The {kind} name '{name}' is invalid: Azure requires {rule}. Rename the project or stack.");
            }
        }
    }

    private static string Kebab(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value.ToLowerInvariant())
        {
            var next = char.IsAsciiLetterOrDigit(c) ? c : '-';
            if (next != '-' || (builder.Length > 0 && builder[^1] != '-'))
            {
                builder.Append(next);
            }
        }

        return builder.ToString().Trim('-');
    }

    private static string Truncate(string value, int maxLength) => value.Length <= maxLength ? value : value[..maxLength];

    private static string Fit(string prefix, string suffix, int maxLength, string hash)
    {
        var whole = suffix.Length == 0 ? prefix : $"{prefix}-{suffix}";
        if (whole.Length <= maxLength)
        {
            return whole;
        }

        // Too long: keep what fits of the prefix and add the hash, so shortened names stay distinct.
        var tail = suffix.Length == 0 ? hash : $"{hash}-{suffix}";
        var room = Math.Max(0, maxLength - tail.Length - 1);
        var head = Truncate(prefix, room).TrimEnd('-');
        return head.Length == 0 ? Truncate(tail, maxLength) : $"{head}-{tail}";
    }
}
