using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace EdgeStack.Plan;

/// <summary>A stack's committed <c>Pulumi.&lt;stack&gt;.yaml</c>, as the Pulumi CLI would hand it to the program.</summary>
/// <param name="Project">The project name from <c>Pulumi.yaml</c>.</param>
/// <param name="Stack">The stack name.</param>
/// <param name="Config">Every config key with its namespace; structured values as JSON text, every scalar as a string.</param>
/// <param name="SecretKeys">The keys whose value is a <c>secure:</c> secret; their values are placeholders, never decrypted.</param>
public sealed record StackConfigFile(string Project, string Stack, IReadOnlyDictionary<string, string> Config, IReadOnlyList<string> SecretKeys)
{
    /// <summary>What a plan sees instead of a secret set in stack config: it cannot decrypt it, and shows only that it is set.</summary>
    public const string SecretPlaceholder = "(secret set in stack config: not shown)";

    /// <summary>Loads a stack's settings from the repository root.</summary>
    /// <param name="repositoryRoot">The folder holding <c>Pulumi.yaml</c>.</param>
    /// <param name="stack">The stack, such as <c>dev</c>.</param>
    /// <returns>The config.</returns>
    /// <exception cref="FileNotFoundException">The stack has no <c>Pulumi.&lt;stack&gt;.yaml</c>.</exception>
    public static StackConfigFile Load(string repositoryRoot, string stack)
    {
        ArgumentException.ThrowIfNullOrEmpty(repositoryRoot);
        ArgumentException.ThrowIfNullOrEmpty(stack);

        var project = Scalar(Read(Path.Combine(repositoryRoot, "Pulumi.yaml")), "name")
            ?? throw new InvalidOperationException("Pulumi.yaml has no name.");
        var path = Path.Combine(repositoryRoot, $"Pulumi.{stack}.yaml");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The stack '{stack}' has no settings file {path}; the stacks here are: {string.Join(", ", Stacks(repositoryRoot))}.", path);
        }

        var config = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var secrets = new List<string>();
        if (Read(path).Children.TryGetValue(new YamlScalarNode("config"), out var node) && node is YamlMappingNode mapping)
        {
            foreach (var (keyNode, valueNode) in mapping.Children)
            {
                var key = ((YamlScalarNode)keyNode).Value!;
                if (valueNode is YamlMappingNode secure && secure.Children.ContainsKey(new YamlScalarNode("secure")))
                {
                    config[key] = SecretPlaceholder;
                    secrets.Add(key);
                }
                else
                {
                    config[key] = valueNode is YamlScalarNode scalar ? scalar.Value ?? string.Empty : ToJson(valueNode)!.ToJsonString();
                }
            }
        }

        return new StackConfigFile(project, stack, config, secrets);
    }

    /// <summary>The stacks with a settings file in a repository.</summary>
    /// <param name="repositoryRoot">The folder holding <c>Pulumi.yaml</c>.</param>
    /// <returns>Their names, sorted.</returns>
    public static IReadOnlyList<string> Stacks(string repositoryRoot) =>
        [.. Directory.GetFiles(repositoryRoot, "Pulumi.*.yaml").Select(f => Path.GetFileName(f)["Pulumi.".Length..^".yaml".Length]).Order(StringComparer.Ordinal)];

    /// <summary>Sets <c>PULUMI_CONFIG</c> and <c>PULUMI_CONFIG_SECRET_KEYS</c> as the Pulumi CLI does for the program.</summary>
    public void Apply()
    {
        Environment.SetEnvironmentVariable("PULUMI_CONFIG", JsonSerializer.Serialize(Config));
        Environment.SetEnvironmentVariable("PULUMI_CONFIG_SECRET_KEYS", JsonSerializer.Serialize(SecretKeys));
    }

    private static YamlMappingNode Read(string path)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            stream.Load(reader);
        }

        return stream.Documents.Count > 0 && stream.Documents[0].RootNode is YamlMappingNode root ? root : new YamlMappingNode();
    }

    private static string? Scalar(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode scalar ? scalar.Value : null;

    // Scalars stay strings, as the CLI passes them (the program's parser accepts numbers and booleans as text).
    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(ToJson)]),
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(
            pair => KeyValuePair.Create(((YamlScalarNode)pair.Key).Value!, ToJson(pair.Value)))),
        _ => throw new NotSupportedException(node.GetType().Name),
    };
}
