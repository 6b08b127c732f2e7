using EdgeStack.Blueprint;
using EdgeStack.Contracts;

namespace EdgeStack.Infra.Tests;

/// <summary>A scheduled function (the repository's <c>maintenance</c>) deploys as a Container Apps Job on its schedule.</summary>
public class JobDeploymentTests
{
    private static readonly FunctionDeclaration Scheduled = StackRun.Functions.First(f => f.Kind == FunctionKind.Scheduled);

    [Fact]
    public async Task RunAsync_ScheduledFunction_IsAJobWithAScheduleTriggerOfItsCron()
    {
        var run = await StackRun.Default;

        var configuration = Wire.Object(run.Job(Scheduled.Name)["configuration"]);
        var trigger = Wire.Object(configuration["scheduleTriggerConfig"]);

        Assert.Equal("Schedule", configuration["triggerType"]);
        Assert.Equal(Scheduled.Schedule, trigger["cronExpression"]);
        Assert.Equal((1.0, 1.0), ((double)trigger["parallelism"], (double)trigger["replicaCompletionCount"]));
        Assert.DoesNotContain(run.OfType(Types.ContainerApp), app => app.Name == LogicalNames.App(Scheduled.Name));
    }

    [Fact]
    public async Task RunAsync_Job_RunsItsOwnImageBuiltWithItsNameAsTheAppArgument()
    {
        var run = await StackRun.Default;

        var image = run.Inputs(Types.Image, LogicalNames.Image(Scheduled.Name));
        var container = StackRun.Container(run.Job(Scheduled.Name));

        Assert.Equal(Scheduled.Name, Wire.At(image, "build", "args", StackPlanner.DockerfileAppArgument));
        Assert.StartsWith(((string)image["imageName"]).Split(':')[0] + "@sha256:", (string)container["image"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ConfiguredReplicaTimeoutAndRetries_ReachTheJobAndTheRuntimeEnv()
    {
        var run = await StackRun.RunAsync($$$"""{"{{{Scheduled.Name}}}":{"replicaTimeoutSeconds":900,"replicaRetryLimit":2}}""");

        var job = run.Job(Scheduled.Name);
        var configuration = Wire.Object(job["configuration"]);

        Assert.Equal((900.0, 2.0), ((double)configuration["replicaTimeout"], (double)configuration["replicaRetryLimit"]));
        Assert.Equal("900", StackRun.Env(job)[SettingNames.ToEnvironmentVariable(SettingNames.ReplicaTimeoutSeconds)]);
    }

    [Fact]
    public async Task RunAsync_Job_RunsAsTheIdentityWithStorageEndpointsAndNoKeys()
    {
        var run = await StackRun.Default;

        var job = run.Job(Scheduled.Name);
        var env = StackRun.Env(job);

        Assert.Equal($"{LogicalNames.Identity(Scheduled.Name)}-client-id", env[SettingNames.AzureClientId]);
        Assert.Equal([$"{LogicalNames.Identity(Scheduled.Name)}_id"], Wire.List(Wire.At(job, "identity", "userAssignedIdentities")).Cast<string>());
        Assert.StartsWith("https://", env[SettingNames.ToEnvironmentVariable(SettingNames.StorageTableEndpoint)], StringComparison.Ordinal);
        Assert.Equal(FunctionSettings.DefaultTerminationGracePeriodSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), env[SettingNames.ToEnvironmentVariable(SettingNames.TerminationGracePeriodSeconds)]);
        Assert.DoesNotContain(env, e => e.Value.Contains("AccountKey", StringComparison.OrdinalIgnoreCase) || e.Key == SettingNames.ToEnvironmentVariable(SettingNames.FunctionKey));
        Assert.Equal("UserAssigned", Wire.At(job, "identity", "type"));
    }
}
