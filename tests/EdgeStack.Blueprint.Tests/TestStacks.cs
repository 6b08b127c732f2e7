namespace EdgeStack.Blueprint.Tests;

/// <summary>Inputs shared by the tests: an identity, a set of declared functions like the shipped ones, and config builders.</summary>
internal static class TestStacks
{
    public const string Hello = "hello";
    public const string Upload = "upload";
    public const string Analytics = "analytics";
    public const string Worker = "worker";

    public static StackIdentity Identity { get; } = new("00000000-1111-2222-3333-444444444444", "edgestack", "dev");

    /// <summary>Four functions declared as the shipped ones are: a sink, a client, a durable HTTP function and a queue function.</summary>
    public static IReadOnlyList<FunctionDeclaration> Functions { get; } = FunctionManifest.Parse(
        [
            (Analytics, """{"kind":"http","ingress":"internal","analytics":"sink","storage":{"tables":{"analytics":"readwrite"}}}"""),
            (Hello, """{"kind":"http","analytics":"client"}"""),
            (Upload, """{"kind":"http","durableHandlers":["upload"],"storage":{"containers":{"uploads":"readwrite"}}}"""),
            (Worker, """{"kind":"queue","durableHandlers":["report"],"storage":{"containers":{"uploads":"readwrite"}}}"""),
        ],
        _ => true);

    public static Dictionary<string, string> Empty() => new(StringComparer.Ordinal);

    public static Dictionary<string, string> WithFunctions(string functionsJson) =>
        new(StringComparer.Ordinal) { [StackConfigKeys.Functions] = functionsJson };

    public static StackSettings Parse(IReadOnlyDictionary<string, string> config) =>
        StackSettingsParser.Parse(config, Functions);

    public static StackSettings DefaultSettings() => Parse(Empty());

    public static StackPlan DefaultPlan() => StackPlanner.Plan(DefaultSettings(), Identity);

    public static StackPlan Plan(Dictionary<string, string> config) => StackPlanner.Plan(Parse(config), Identity);

    public static IEnumerable<string> HttpFunctions() => [Hello, Upload, Analytics];
}
