using System.Globalization;
using EdgeStack.Blueprint;
using EdgeStack.Contracts;

namespace EdgeStack.Infra.Tests;

public class EdgeStackProgramTests
{
    private static readonly string GraceVariable = SettingNames.ToEnvironmentVariable(SettingNames.TerminationGracePeriodSeconds);

    [Fact]
    public async Task RunAsync_EveryFunction_GetsAContainerAppWhoseGracePeriodIsTheRuntimeEnvValue()
    {
        var run = await StackRun.Default;

        Assert.All(StackRun.Functions.Where(f => f.Kind != FunctionKind.Scheduled).Select(f => f.Name), function =>
        {
            var app = run.App(function);
            var grace = (double)Wire.At(app, "template", "terminationGracePeriodSeconds")!;
            Assert.Equal(grace.ToString(CultureInfo.InvariantCulture), StackRun.Env(app)[GraceVariable]);
        });
    }

    [Fact]
    public async Task RunAsync_ConfiguredGracePeriod_ReachesTemplateAndEnv()
    {
        var run = await StackRun.RunAsync("""{"worker":{"terminationGracePeriodSeconds":300}}""");

        var worker = run.App("worker");

        Assert.Equal((300.0, "300"), ((double)Wire.At(worker, "template", "terminationGracePeriodSeconds")!, StackRun.Env(worker)[GraceVariable]));
    }

    [Fact]
    public async Task RunAsync_NoAppEnv_CarriesAStorageKeyOrConnectionString()
    {
        var run = await StackRun.Default;

        var env = run.OfType(Types.ContainerApp).SelectMany(app => StackRun.Env(app.Inputs)).ToList();

        Assert.DoesNotContain(env, e => e.Key == SettingNames.ToEnvironmentVariable(SettingNames.StorageConnectionString)
            || e.Value.Contains("AccountKey=", StringComparison.OrdinalIgnoreCase)
            || e.Value.Contains("SharedAccessSignature", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task RunAsync_Stack_NeverReadsStorageAccountKeys()
    {
        var run = await StackRun.Default;

        var tokens = run.Calls.Select(c => c.Token);

        Assert.DoesNotContain("azure-native:storage:listStorageAccountKeys", tokens);
    }

    [Fact]
    public async Task RunAsync_UploadsContainer_IsPrivate()
    {
        var run = await StackRun.Default;

        var uploads = run.Inputs(Types.BlobContainer, LogicalNames.Container(StorageNames.UploadsContainer));

        Assert.Equal((StorageNames.UploadsContainer, "None"), ((string)uploads["containerName"], (string)uploads["publicAccess"]));
    }

    [Fact]
    public async Task RunAsync_StorageAccount_IsHttpsOnlyWithTls12AndNoPublicBlobs()
    {
        var run = await StackRun.Default;

        var account = run.Inputs(Types.StorageAccount, LogicalNames.StorageAccount);

        Assert.Equal((true, "TLS1_2", false), ((bool)account["enableHttpsTrafficOnly"], (string)account["minimumTlsVersion"], (bool)account["allowBlobPublicAccess"]));
    }

    [Fact]
    public async Task RunAsync_StorageAccount_HasSharedKeyAccessOff()
    {
        var run = await StackRun.Default;

        var account = run.Inputs(Types.StorageAccount, LogicalNames.StorageAccount);

        Assert.False((bool)account["allowSharedKeyAccess"]);
    }

    [Fact]
    public async Task RunAsync_BlobService_HasBlobAndContainerSoftDeleteOn()
    {
        var run = await StackRun.Default;

        var service = run.Inputs(Types.BlobServiceProperties, LogicalNames.BlobService);

        Assert.Equal(
            ("default", true, true, true),
            ((string)service["blobServicesName"], (bool)Wire.At(service, "deleteRetentionPolicy", "enabled")!, (bool)Wire.At(service, "containerDeleteRetentionPolicy", "enabled")!, (double)Wire.At(service, "deleteRetentionPolicy", "days")! >= 7));
    }

    [Fact]
    public async Task RunAsync_StorageAccount_DeniesEveryNetworkByDefault()
    {
        var run = await StackRun.Default;

        var rules = Wire.Object(run.Inputs(Types.StorageAccount, LogicalNames.StorageAccount)["networkRuleSet"]);

        Assert.Equal(("Deny", "AzureServices"), ((string)rules["defaultAction"], (string)rules["bypass"]));
    }

    [Fact]
    public async Task RunAsync_StorageAccount_AllowsExactlyTheEnvironmentSubnet()
    {
        var run = await StackRun.Default;

        var rules = Wire.List(Wire.At(run.Inputs(Types.StorageAccount, LogicalNames.StorageAccount), "networkRuleSet", "virtualNetworkRules"));

        var rule = Assert.Single(rules);
        Assert.Equal((run.Id(Types.Subnet, LogicalNames.EnvironmentSubnet), "Allow"), ((string)Wire.At(rule, "virtualNetworkResourceId")!, (string)Wire.At(rule, "action")!));
    }

    [Fact]
    public async Task RunAsync_Environment_RunsOnTheSubnetWithAConsumptionProfile()
    {
        var run = await StackRun.Default;

        var environment = run.Inputs(Types.Environment, LogicalNames.Environment);

        Assert.Equal(run.Id(Types.Subnet, LogicalNames.EnvironmentSubnet), (string)Wire.At(environment, "vnetConfiguration", "infrastructureSubnetId")!);
        var profile = Assert.Single(Wire.List(environment["workloadProfiles"]));
        Assert.Equal((NetworkPlan.ConsumptionWorkloadProfile, NetworkPlan.ConsumptionWorkloadProfile), ((string)Wire.At(profile, "name")!, (string)Wire.At(profile, "workloadProfileType")!));
    }

    [Fact]
    public async Task RunAsync_EnvironmentSubnet_IsDelegatedToContainerAppsWithAStorageServiceEndpoint()
    {
        var run = await StackRun.Default;

        var subnet = run.Inputs(Types.Subnet, LogicalNames.EnvironmentSubnet);

        Assert.Equal(
            (EnvironmentNetwork.DefaultSubnetPrefix, run.Name(Types.VirtualNetwork, LogicalNames.VirtualNetwork), NetworkPlan.SubnetDelegation, NetworkPlan.StorageServiceEndpoint),
            ((string)subnet["addressPrefix"], (string)subnet["virtualNetworkName"],
             (string)Wire.At(Assert.Single(Wire.List(subnet["delegations"])), "serviceName")!,
             (string)Wire.At(Assert.Single(Wire.List(subnet["serviceEndpoints"])), "service")!));
    }

    [Fact]
    public async Task RunAsync_VirtualNetwork_HasTheConfiguredAddressSpace()
    {
        var run = await StackRun.Default;

        var network = run.Inputs(Types.VirtualNetwork, LogicalNames.VirtualNetwork);

        Assert.Equal([EnvironmentNetwork.DefaultAddressSpace], Wire.List(Wire.At(network, "addressSpace", "addressPrefixes")).Cast<string>());
    }

    [Fact]
    public async Task RunAsync_PinnedBaseImages_AreEveryImagesBuildArguments()
    {
        const string Sdk = "mcr.microsoft.com/dotnet/sdk:10.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        const string Runtime = "mcr.microsoft.com/dotnet/runtime-deps:10.0@sha256:fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";
        var run = await StackRun.RunAsync(null, plain: new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [StackConfigKeys.BuildImage] = Sdk,
            [StackConfigKeys.RuntimeImage] = Runtime,
        });

        var images = run.OfType(Types.Image);

        Assert.Equal(StackRun.Functions.Count, images.Count);
        Assert.All(images, image => Assert.Equal(
            (Sdk, Runtime),
            ((string)Wire.At(image.Inputs, "build", "args", StackPlanner.DockerfileBuildImageArgument)!, (string)Wire.At(image.Inputs, "build", "args", StackPlanner.DockerfileRuntimeImageArgument)!)));
    }

    [Fact]
    public async Task RunAsync_EveryAppAndJob_RunsOnTheConsumptionProfile()
    {
        var run = await StackRun.Default;

        var workloads = run.OfType(Types.ContainerApp).Concat(run.OfType(Types.Job)).ToList();

        Assert.NotEmpty(workloads);
        Assert.All(workloads, w => Assert.Equal(NetworkPlan.ConsumptionWorkloadProfile, (string)w.Inputs["workloadProfileName"]));
    }

    [Fact]
    public async Task RunAsync_EveryApp_HasLivenessAndReadinessProbes()
    {
        var run = await StackRun.Default;

        Assert.All(run.OfType(Types.ContainerApp), app => Assert.Equal(
            [("Liveness", Routes.Liveness), ("Readiness", Routes.Readiness)],
            Wire.List(StackRun.Container(app.Inputs)["probes"]).Select(p => ((string)Wire.At(p, "type")!, (string)Wire.At(p, "httpGet", "path")!))));
    }

    [Fact]
    public async Task RunAsync_Worker_ScalesOnItsWorkQueueThroughTheIdentity()
    {
        var run = await StackRun.Default;

        var rule = Wire.List(Wire.At(run.App("worker"), "template", "scale", "rules")).Single();

        Assert.Equal(
            (StorageNames.WorkQueueOf("worker"), (string)run.Inputs(Types.StorageAccount, LogicalNames.StorageAccount)["accountName"], $"{LogicalNames.Identity("worker")}_id"),
            ((string)Wire.At(rule, "azureQueue", "queueName")!, (string)Wire.At(rule, "azureQueue", "accountName")!, (string)Wire.At(rule, "azureQueue", "identity")!));
    }

    [Fact]
    public async Task RunAsync_EveryApp_PullsItsImageFromTheStackRegistryThroughTheIdentity()
    {
        var run = await StackRun.Default;
        var loginServer = (string)run.Inputs(Types.Registry, LogicalNames.Registry)["registryName"] + ".azurecr.io";

        Assert.All(run.OfType(Types.ContainerApp), app =>
        {
            var registry = Wire.List(Wire.At(app.Inputs, "configuration", "registries")).Single();
            var identity = LogicalNames.Identity(app.Name!["app-".Length..]);
            Assert.Equal((loginServer, $"{identity}_id"), ((string)Wire.At(registry, "server")!, (string)Wire.At(registry, "identity")!));
            Assert.StartsWith(loginServer + "/", (string)StackRun.Container(app.Inputs)["image"], StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task RunAsync_EveryImage_IsPushedWithTheDeployersTokenExchangedForARegistryToken()
    {
        var run = await StackRun.Default;
        var loginServer = (string)run.Inputs(Types.Registry, LogicalNames.Registry)["registryName"] + ".azurecr.io";

        var registries = run.OfType(Types.Image).Select(image => Wire.Object(image.Inputs["registry"])).ToList();

        Assert.Equal(StackRun.Functions.Count, registries.Count);
        Assert.All(registries, r => Assert.Equal(
            (loginServer, AcrTokenExchange.UserName, StackRun.RegistryRefreshToken),
            ((string)r["server"], (string)r["username"], (string)r["password"])));
        Assert.Equal([(loginServer, StackRun.DeployerAccessToken)], run.RegistryTokenRequests.Distinct());
    }

    [Fact]
    public async Task RunAsync_Registry_HasTheAdminUserOff()
    {
        var run = await StackRun.Default;

        var registry = run.Inputs(Types.Registry, LogicalNames.Registry);

        Assert.False((bool)registry["adminUserEnabled"]);
    }

    [Fact]
    public async Task RunAsync_EveryApp_RunsAsItsOwnIdentity()
    {
        var run = await StackRun.Default;

        var identities = run.OfType(Types.ContainerApp).Select(app => (app.Name, Wire.List(Wire.At(app.Inputs, "identity", "userAssignedIdentities")).Cast<string>().Single())).ToList();

        Assert.All(identities, i => Assert.Equal($"{LogicalNames.Identity(i.Name!["app-".Length..])}_id", i.Item2));
        Assert.Equal(StackRun.Functions.Count, run.OfType(Types.Identity).Count);
    }

    [Fact]
    public async Task RunAsync_RoleAssignments_GrantEachPlannedRoleToItsAppsIdentityOnTheResourceItself()
    {
        var run = await StackRun.Default;
        var plan = StackRun.Plan(functionsJson: null);

        var assignments = run.OfType(Types.RoleAssignment).ToDictionary(a => a.Name!, a => a.Inputs, StringComparer.Ordinal);

        Assert.Equal(plan.RoleAssignments.Select(r => r.LogicalName).Order(StringComparer.Ordinal), assignments.Keys.Order(StringComparer.Ordinal));
        Assert.All(plan.Apps.SelectMany(app => app.Roles.Select(role => (app, role))), pair => Assert.Equal(
            ($"{pair.app.Identity.LogicalName}-principal-id", "ServicePrincipal", pair.role.Role.DefinitionId(StackRun.SubscriptionId), ScopeId(pair.role)),
            ((string)assignments[pair.role.LogicalName]["principalId"], (string)assignments[pair.role.LogicalName]["principalType"], (string)assignments[pair.role.LogicalName]["roleDefinitionId"], (string)assignments[pair.role.LogicalName]["scope"])));
    }

    [Fact]
    public async Task RunAsync_NoRole_IsGrantedOnTheWholeStorageAccount()
    {
        var run = await StackRun.Default;

        var scopes = run.OfType(Types.RoleAssignment).Select(a => (string)a.Inputs["scope"]);

        Assert.DoesNotContain($"{LogicalNames.StorageAccount}_id", scopes);
    }

    [Fact]
    public async Task RunAsync_Names_AreValidForAzure()
    {
        var run = await StackRun.Default;

        var names = (
            Storage: (string)run.Inputs(Types.StorageAccount, LogicalNames.StorageAccount)["accountName"],
            Registry: (string)run.Inputs(Types.Registry, LogicalNames.Registry)["registryName"],
            Apps: run.OfType(Types.ContainerApp).Select(a => (string)a.Inputs["containerAppName"]).ToList());

        Assert.True(NameRules.IsValidStorageAccountName(names.Storage), names.Storage);
        Assert.True(NameRules.IsValidRegistryName(names.Registry), names.Registry);
        Assert.All(names.Apps, app => Assert.True(NameRules.IsValidContainerAppName(app), app));
    }

    [Fact]
    public async Task RunAsync_Outputs_IncludeEveryUrlAndTheStorageAndRegistryNames()
    {
        var run = await StackRun.Default;

        var keys = run.Outputs.Keys;

        Assert.Subset(keys.ToHashSet(StringComparer.Ordinal), new HashSet<string>(StringComparer.Ordinal)
        {
            StackOutputNames.FunctionUrl("hello"), StackOutputNames.FunctionUrl("upload"), StackOutputNames.FunctionUrl("analytics"), StackOutputNames.FunctionUrl("worker"),
            StackOutputNames.StorageAccountName, StackOutputNames.Queues,
            StackOutputNames.Tables, StackOutputNames.Containers, StackOutputNames.RegistryServer,
        });
    }

    [Fact]
    public async Task RunAsync_NoSecretSet_EveryAppHoldsTheGeneratedKeysOfItsFunctionAndTheSink()
    {
        var run = await StackRun.Default;

        var secrets = run.OfType(Types.ContainerApp).ToDictionary(app => app.Name!, app => Secrets(app.Inputs), StringComparer.Ordinal);

        Assert.Equal(StackRun.GeneratedKey(LogicalNames.FunctionKey("hello")), secrets[LogicalNames.App("hello")][StackPlanner.FunctionKeySecret]);
        Assert.Equal(StackRun.GeneratedKey(LogicalNames.FunctionKey("analytics")), secrets[LogicalNames.App("hello")][StackPlanner.AnalyticsKeySecret]);
        Assert.Equal(StackRun.GeneratedKey(LogicalNames.FunctionKey("worker")), secrets[LogicalNames.App("worker")][StackPlanner.FunctionKeySecret]);
    }

    [Fact]
    public async Task RunAsync_GeneratedKeys_AreLongLettersAndDigitsWithStableNames()
    {
        var run = await StackRun.Default;

        var keys = run.OfType(Types.RandomPassword);

        Assert.Equal(
            StackRun.Functions.Where(f => f.Kind != FunctionKind.Scheduled).Select(f => LogicalNames.FunctionKey(f.Name))
                .Concat(StackRun.Functions.Where(f => f.Analytics == AnalyticsRole.Sink).Select(f => LogicalNames.FunctionReadKey(f.Name)))
                .Order(StringComparer.Ordinal),
            keys.Select(k => k.Name!).Order(StringComparer.Ordinal));
        Assert.All(keys, k => Assert.Equal((true, false), ((double)k.Inputs["length"] >= FunctionKeyPlan.MinLength, (bool)k.Inputs["special"])));
    }

    [Fact]
    public async Task RunAsync_KeySetInConfig_OverridesTheGeneratedKeyEverywhere()
    {
        var rotated = new string('r', 40);

        var run = await StackRun.RunAsync(functionsJson: null, new Dictionary<string, string> { ["analyticsKey"] = rotated });

        Assert.Equal(
            (rotated, rotated, StackRun.GeneratedKey(LogicalNames.FunctionKey("hello"))),
            (Secrets(run.App("analytics"))[StackPlanner.FunctionKeySecret], Secrets(run.App("hello"))[StackPlanner.AnalyticsKeySecret], Secrets(run.App("hello"))[StackPlanner.FunctionKeySecret]));
    }

    [Fact]
    public async Task RunAsync_ShortKeyInConfig_FailsNamingTheKeyNotTheValue()
    {
        var exception = await Assert.ThrowsAnyAsync<Exception>(() => StackRun.RunAsync(functionsJson: null, new Dictionary<string, string> { ["helloKey"] = "short-key-value" }));

        Assert.Contains("helloKey", exception.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("short-key-value", exception.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Outputs_ExportEveryKeyAsASecret()
    {
        var run = await StackRun.Default;

        var keys = StackRun.Functions.Where(f => f.Kind != FunctionKind.Scheduled).Select(f => StackOutputNames.FunctionKey(f.Name))
            .Concat(StackRun.Functions.Where(f => f.Analytics == AnalyticsRole.Sink).Select(f => StackOutputNames.FunctionReadKey(f.Name)))
            .ToList();

        foreach (var key in keys)
        {
            Assert.True(await Pulumi.Output.IsSecretAsync(Assert.IsType<Pulumi.Output<string>>(run.Outputs[key])), key);
        }
    }

    [Fact]
    public async Task RunAsync_BadConfigValue_FailsNamingTheKey()
    {
        var exception = await Assert.ThrowsAnyAsync<Exception>(() => StackRun.RunAsync("""{"hello":{"terminationGracePeriodSeconds":900}}"""));

        Assert.Contains("functions.hello.terminationGracePeriodSeconds", exception.ToString(), StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Secrets(IReadOnlyDictionary<string, object> app) =>
        Wire.List(Wire.At(app, "configuration", "secrets")).Select(Wire.Object).ToDictionary(s => (string)s["name"], s => (string)s["value"], StringComparer.Ordinal);

    private static string ScopeId(RoleAssignmentPlan role) => role.Scope switch
    {
        RoleScope.Registry => $"{LogicalNames.Registry}_id",
        RoleScope.Container => $"{LogicalNames.Container(role.ResourceName)}_id",
        RoleScope.Queue => $"{LogicalNames.Queue(role.ResourceName)}_id",
        RoleScope.Table => $"{LogicalNames.Table(role.ResourceName)}_id",
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };
}
