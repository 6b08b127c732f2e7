using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text.Json;
using EdgeStack.Blueprint;
using Moq;
using Pulumi.Testing;

namespace EdgeStack.Infra.Tests;

/// <summary>One run of the stack under Pulumi's mocks, with every resource's inputs as the engine received them.</summary>
/// <remarks>
/// Inputs are in wire form: camelCase keys, nested objects as dictionaries, lists as arrays, every number a double.
/// The mock echoes inputs back as state and adds the outputs the program reads.
/// </remarks>
internal sealed class StackRun
{
    public const string SubscriptionId = "00000000-1111-2222-3333-444444444444";

    private static readonly Lazy<Task<StackRun>> DefaultRun = new(() => RunAsync(functionsJson: null));

    /// <summary>The value the mock gives every generated key: deterministic, and recognisably not a config value.</summary>
    public static string GeneratedKey(string logicalName) => $"generated-{logicalName}";

    private StackRun(IReadOnlyList<MockResourceArgs> resources, IReadOnlyList<MockCallArgs> calls, IDictionary<string, object?> outputs)
    {
        Resources = resources;
        Calls = calls;
        Outputs = outputs;
    }

    public IReadOnlyList<MockResourceArgs> Resources { get; }

    public IReadOnlyList<MockCallArgs> Calls { get; }

    public IDictionary<string, object?> Outputs { get; }

    /// <summary>The (login server, Azure AD token) pairs the program asked a registry token for.</summary>
    public IReadOnlyList<(string LoginServer, string AccessToken)> RegistryTokenRequests { get; private init; } = [];

    public const string DeployerAccessToken = "deployer-aad-token";

    public const string RegistryRefreshToken = "registry-refresh-token";

    /// <summary>The stack with every setting at its default and no secret set.</summary>
    public static Task<StackRun> Default => DefaultRun.Value;

    /// <summary>The functions declared in this repository, which the program discovers the same way.</summary>
    public static IReadOnlyList<FunctionDeclaration> Functions { get; } =
        FunctionManifest.Discover(FunctionManifest.FindRepositoryRoot(AppContext.BaseDirectory));

    public static async Task<StackRun> RunAsync(string? functionsJson, IReadOnlyDictionary<string, string>? secrets = null, IReadOnlyDictionary<string, string>? plain = null)
    {
        var config = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (key, value) in (secrets ?? new Dictionary<string, string>()).Concat(plain ?? new Dictionary<string, string>()))
        {
            config[$"edgestack:{key}"] = value;
        }

        if (functionsJson is not null)
        {
            config[$"edgestack:{StackConfigKeys.Functions}"] = JsonDocument.Parse(functionsJson).RootElement;
        }

        Environment.SetEnvironmentVariable("PULUMI_CONFIG", JsonSerializer.Serialize(config));
        Environment.SetEnvironmentVariable("PULUMI_CONFIG_SECRET_KEYS", JsonSerializer.Serialize((secrets?.Keys ?? []).Select(s => $"edgestack:{s}")));

        var resources = new ConcurrentQueue<MockResourceArgs>();
        var calls = new ConcurrentQueue<MockCallArgs>();
        var mocks = new Mock<IMocks>();
        mocks.Setup(m => m.NewResourceAsync(It.IsAny<MockResourceArgs>()))
            .ReturnsAsync((MockResourceArgs args) =>
            {
                resources.Enqueue(args);
                return (MockId(args.Name!), (object)State(args));
            });
        mocks.Setup(m => m.CallAsync(It.IsAny<MockCallArgs>()))
            .ReturnsAsync((MockCallArgs args) =>
            {
                calls.Enqueue(args);
                return Result(args);
            });

        var options = new TestOptions { IsPreview = false, ProjectName = "edgestack", StackName = "dev" };
        var registryTokens = new RecordingRegistryTokens();
        var (_, outputs) = await Pulumi.Deployment.TestAsync(mocks.Object, options, () => EdgeStackProgram.RunAsync(registryTokens));
        return new StackRun([.. resources], [.. calls], outputs) { RegistryTokenRequests = [.. registryTokens.Requests] };
    }

    /// <summary>The plan the program builds from the same config: what each resource is checked against.</summary>
    public static StackPlan Plan(string? functionsJson)
    {
        var config = functionsJson is null
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal) { [StackConfigKeys.Functions] = functionsJson };
        return StackPlanner.Plan(StackSettingsParser.Parse(config, Functions), new StackIdentity(SubscriptionId, "edgestack", "dev"));
    }

    /// <summary>The inputs of every resource of one type token.</summary>
    public IReadOnlyList<MockResourceArgs> OfType(string type) => [.. Resources.Where(r => r.Type == type)];

    /// <summary>The inputs of the one resource with this type and logical name.</summary>
    public ImmutableDictionary<string, object> Inputs(string type, string logicalName) =>
        Resources.Single(r => r.Type == type && r.Name == logicalName).Inputs;

    /// <summary>The id the mock engine gave the one resource with this type and logical name, as other resources receive it.</summary>
    public string Id(string type, string logicalName) =>
        MockId(Resources.Single(r => r.Type == type && r.Name == logicalName).Name!);

    private static string MockId(string logicalName) => logicalName + "_id";

    /// <summary>The Azure name of the one resource with this type and logical name.</summary>
    public string Name(string type, string logicalName) => (string)Inputs(type, logicalName)[Types.NameInput[type]];

    /// <summary>The Container App of one function.</summary>
    public ImmutableDictionary<string, object> App(string functionName) => Inputs(Types.ContainerApp, LogicalNames.App(functionName));

    /// <summary>The Container Apps Job of one scheduled function.</summary>
    public ImmutableDictionary<string, object> Job(string functionName) => Inputs(Types.Job, LogicalNames.Job(functionName));

    /// <summary>The single container of a Container App or a job.</summary>
    public static IReadOnlyDictionary<string, object> Container(IReadOnlyDictionary<string, object> app) =>
        Wire.Object(Wire.List(Wire.Object(app["template"])["containers"]).Single());

    /// <summary>A container's environment as name → (value or secretRef).</summary>
    public static IReadOnlyDictionary<string, string> Env(IReadOnlyDictionary<string, object> app) =>
        Wire.List(Container(app)["env"]).Select(Wire.Object).ToDictionary(
            e => (string)e["name"],
            e => e.TryGetValue("value", out var value) ? (string)value : "secretRef:" + (string)e["secretRef"],
            StringComparer.Ordinal);

    private static Dictionary<string, object?> State(MockResourceArgs args)
    {
        var state = args.Inputs.ToDictionary(p => p.Key, p => (object?)p.Value, StringComparer.Ordinal);
        var azureName = Types.NameInput.TryGetValue(args.Type ?? string.Empty, out var nameKey) && args.Inputs.TryGetValue(nameKey, out var explicitName)
            ? (string)explicitName
            : args.Name!;
        state["name"] = azureName;

        switch (args.Type)
        {
            case Types.Registry:
                state["loginServer"] = $"{azureName}.azurecr.io";
                break;
            case Types.Identity:
                state["clientId"] = $"{args.Name}-client-id";
                state["principalId"] = $"{args.Name}-principal-id";
                break;
            case Types.StorageAccount:
                state["primaryEndpoints"] = new Dictionary<string, object?>
                {
                    ["blob"] = $"https://{azureName}.blob.core.windows.net/",
                    ["queue"] = $"https://{azureName}.queue.core.windows.net/",
                    ["table"] = $"https://{azureName}.table.core.windows.net/",
                    ["dfs"] = $"https://{azureName}.dfs.core.windows.net/",
                    ["file"] = $"https://{azureName}.file.core.windows.net/",
                    ["web"] = $"https://{azureName}.z6.web.core.windows.net/",
                };
                break;
            case Types.RandomPassword:
                state["result"] = GeneratedKey(args.Name!);
                break;
            case Types.Workspace:
                state["customerId"] = "workspace-customer-id";
                break;
            case Types.Image:
                var imageName = (string)args.Inputs["imageName"];
                state["repoDigest"] = imageName[..imageName.LastIndexOf(':')] + "@sha256:" + new string('0', 64);
                break;
            case Types.ContainerApp when args.Inputs.TryGetValue("configuration", out var configuration)
                && Wire.Object(configuration).TryGetValue("ingress", out var ingress):
                var withFqdn = Wire.Object(ingress).ToDictionary(p => p.Key, p => (object?)p.Value, StringComparer.Ordinal);
                withFqdn["fqdn"] = $"{azureName}.internal.example.westeurope.azurecontainerapps.io";
                var configurationState = Wire.Object(configuration).ToDictionary(p => p.Key, p => (object?)p.Value, StringComparer.Ordinal);
                configurationState["ingress"] = withFqdn;
                state["configuration"] = configurationState;
                break;
        }

        return state;
    }

    private static object Result(MockCallArgs args) => args.Token switch
    {
        "azure-native:authorization:getClientConfig" => new Dictionary<string, object>
        {
            ["subscriptionId"] = SubscriptionId,
            ["tenantId"] = "tenant-id",
            ["clientId"] = "deployer-client-id",
            ["objectId"] = "deployer-object-id",
        },
        "azure-native:authorization:getClientToken" => new Dictionary<string, object> { ["token"] = DeployerAccessToken },
        "azure-native:operationalinsights:getSharedKeys" => new Dictionary<string, object>
        {
            ["primarySharedKey"] = "workspace-primary-key",
            ["secondarySharedKey"] = "workspace-secondary-key",
        },
        _ => args.Args,
    };

    /// <summary>Answers every exchange with <see cref="RegistryRefreshToken"/> and records what it was asked.</summary>
    private sealed class RecordingRegistryTokens : IRegistryTokenSource
    {
        public ConcurrentQueue<(string, string)> Requests { get; } = new();

        public Task<string> GetRefreshTokenAsync(string loginServer, string accessToken, CancellationToken cancellationToken)
        {
            Requests.Enqueue((loginServer, accessToken));
            return Task.FromResult(RegistryRefreshToken);
        }
    }
}
