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
            (StorageNames.WorkQueueOf("worker"), (string)run.Inputs(Types.StorageAccount, LogicalNames.StorageAccount)["accountName"], $"{LogicalNames.Identity}_id"),
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
            Assert.Equal((loginServer, $"{LogicalNames.Identity}_id"), ((string)Wire.At(registry, "server")!, (string)Wire.At(registry, "identity")!));
            Assert.StartsWith(loginServer + "/", (string)StackRun.Container(app.Inputs)["image"], StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task RunAsync_Registry_HasTheAdminUserOff()
    {
        var run = await StackRun.Default;

        var registry = run.Inputs(Types.Registry, LogicalNames.Registry);

        Assert.False((bool)registry["adminUserEnabled"]);
    }

    [Fact]
    public async Task RunAsync_RoleAssignments_GrantTheIdentityAsAServicePrincipal()
    {
        var run = await StackRun.Default;

        var assignments = run.OfType(Types.RoleAssignment);

        Assert.Equal(4, assignments.Count);
        Assert.All(assignments, a => Assert.Equal(
            ("identity-principal-id", "ServicePrincipal", true),
            ((string)a.Inputs["principalId"], (string)a.Inputs["principalType"], ((string)a.Inputs["roleDefinitionId"]).StartsWith($"/subscriptions/{StackRun.SubscriptionId}/providers/Microsoft.Authorization/roleDefinitions/", StringComparison.Ordinal))));
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
            StackOutputNames.FunctionUrl("hello"), StackOutputNames.FunctionUrl("upload"), StackOutputNames.FunctionUrl("analytics"),
            StackOutputNames.StorageAccountName, StackOutputNames.Queues,
            StackOutputNames.Tables, StackOutputNames.Containers, StackOutputNames.RegistryServer,
        });
    }

    [Fact]
    public async Task RunAsync_BadConfigValue_FailsNamingTheKey()
    {
        var exception = await Assert.ThrowsAnyAsync<Exception>(() => StackRun.RunAsync("""{"hello":{"terminationGracePeriodSeconds":900}}"""));

        Assert.Contains("functions.hello.terminationGracePeriodSeconds", exception.ToString(), StringComparison.Ordinal);
    }
}
