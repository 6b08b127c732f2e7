using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace EdgeStack.Blueprint.Tests;

/// <summary>A committed <c>Pulumi.&lt;stack&gt;.yaml</c>, turned into the flat config Pulumi hands the program.</summary>
internal sealed class StackConfigFile
{
    private const string ProjectPrefix = "edgestack:";

    private StackConfigFile(IReadOnlyDictionary<string, string> projectConfig, IReadOnlyList<string> allKeys)
    {
        ProjectConfig = projectConfig;
        AllKeys = allKeys;
    }

    /// <summary>The project's keys without the prefix; structured values as JSON text, as Pulumi passes them.</summary>
    public IReadOnlyDictionary<string, string> ProjectConfig { get; }

    /// <summary>Every key under <c>config:</c>, with its namespace.</summary>
    public IReadOnlyList<string> AllKeys { get; }

    public static StackConfigFile Load(string stack)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(RepositoryRoot.Path, $"Pulumi.{stack}.yaml")))
        {
            stream.Load(reader);
        }

        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var config = (YamlMappingNode)root.Children[new YamlScalarNode("config")];
        var projectConfig = new Dictionary<string, string>(StringComparer.Ordinal);
        var allKeys = new List<string>();
        foreach (var (keyNode, valueNode) in config.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value!;
            allKeys.Add(key);
            if (key.StartsWith(ProjectPrefix, StringComparison.Ordinal))
            {
                projectConfig[key[ProjectPrefix.Length..]] = valueNode is YamlScalarNode scalar
                    ? scalar.Value ?? string.Empty
                    : ToJson(valueNode)!.ToJsonString();
            }
        }

        return new StackConfigFile(projectConfig, allKeys);
    }

    // Scalars become JSON strings: the parser accepts numbers and booleans in either form.
    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(ToJson)]),
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(
            pair => KeyValuePair.Create(((YamlScalarNode)pair.Key).Value!, ToJson(pair.Value)))),
        _ => throw new NotSupportedException(node.GetType().Name),
    };
}
