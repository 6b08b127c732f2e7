using EdgeStack.Contracts;

namespace EdgeStack.Blueprint.Tests;

/// <summary>Inputs shared by the tests: an identity and config builders.</summary>
internal static class TestStacks
{
    public static StackIdentity Identity { get; } = new("00000000-1111-2222-3333-444444444444", "edgestack", "dev");

    public static IReadOnlySet<string> AllSecrets { get; } = new HashSet<string>(StackConfigKeys.Secrets, StringComparer.Ordinal);

    public static IReadOnlySet<string> NoSecrets { get; } = new HashSet<string>(StringComparer.Ordinal);

    public static Dictionary<string, string> Empty() => new(StringComparer.Ordinal);

    public static Dictionary<string, string> WithFunctions(string functionsJson) =>
        new(StringComparer.Ordinal) { [StackConfigKeys.Functions] = functionsJson };

    public static StackSettings DefaultSettings() => StackSettingsParser.Parse(Empty(), AllSecrets);

    public static StackPlan DefaultPlan() => StackPlanner.Plan(DefaultSettings(), Identity);

    public static StackPlan Plan(Dictionary<string, string> config) => StackPlanner.Plan(StackSettingsParser.Parse(config, AllSecrets), Identity);

    public static IEnumerable<string> HttpFunctions() => [FunctionNames.Hello, FunctionNames.Upload, FunctionNames.Analytics];
}
