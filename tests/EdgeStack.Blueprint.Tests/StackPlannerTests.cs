using EdgeStack.Contracts;

using System.Reflection;

namespace EdgeStack.Blueprint.Tests;

public class StackPlannerTests
{
    private static readonly string GraceVariable = SettingNames.ToEnvironmentVariable(SettingNames.TerminationGracePeriodSeconds);

    [Fact]
    public void Plan_EveryFunction_GetsOneApp()
    {
        var plan = TestStacks.DefaultPlan();

        Assert.Equal(TestStacks.Functions.Select(f => f.Name), plan.Apps.Select(a => a.FunctionName));
    }

    [Fact]
    public void Plan_GracePeriod_IsTheTemplateValueAndTheRuntimeEnvValue()
    {
        var config = TestStacks.WithFunctions("""{"upload":{"terminationGracePeriodSeconds":90}}""");

        var upload = StackPlanner.Plan(TestStacks.Parse(config), TestStacks.Identity).App(TestStacks.Upload);

        Assert.Equal((90, "90"), (upload.TerminationGracePeriodSeconds, upload.LiteralEnv(GraceVariable)));
    }

    [Fact]
    public void Plan_TaskTimeout_ReachesTheRuntimeEnv()
    {
        var config = TestStacks.WithFunctions("""{"hello":{"taskTimeoutSeconds":400}}""");

        var hello = StackPlanner.Plan(TestStacks.Parse(config), TestStacks.Identity).App(TestStacks.Hello);

        Assert.Equal("400", hello.LiteralEnv(SettingNames.ToEnvironmentVariable(SettingNames.TaskTimeoutSeconds)));
    }

    [Fact]
    public void Plan_EveryEnvName_IsARuntimeSettingName()
    {
        var runtimeNames = typeof(SettingNames)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => SettingNames.ToEnvironmentVariable((string)f.GetRawConstantValue()!))
            .ToHashSet(StringComparer.Ordinal);

        var envNames = TestStacks.DefaultPlan().Apps.SelectMany(a => a.Env).Select(e => e.Name);

        Assert.All(envNames, name => Assert.Contains(name, runtimeNames));
    }

    [Fact]
    public void Plan_NoApp_GetsAStorageConnectionStringOrKey()
    {
        var forbidden = SettingNames.ToEnvironmentVariable(SettingNames.StorageConnectionString);

        var env = TestStacks.DefaultPlan().Apps.SelectMany(a => a.Env).ToList();

        Assert.DoesNotContain(env, e => e.Name == forbidden
            || e.Value.Contains("AccountKey", StringComparison.OrdinalIgnoreCase)
            || e.Value.Contains("DefaultEndpointsProtocol", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Plan_EveryApp_GetsTheStorageEndpointsAndIdentity()
    {
        var expected = new[] { EnvValueSource.BlobEndpoint, EnvValueSource.QueueEndpoint, EnvValueSource.TableEndpoint, EnvValueSource.IdentityClientId };

        var plan = TestStacks.DefaultPlan();

        Assert.All(plan.Apps, app => Assert.Subset(app.Env.Select(e => e.Source).ToHashSet(), expected.ToHashSet()));
    }

    [Fact]
    public void Plan_EveryApp_HasLivenessAndReadinessProbesOnTheContainerPort()
    {
        var plan = TestStacks.DefaultPlan();

        Assert.All(plan.Apps, app => Assert.Equal(
            [(ProbeKind.Liveness, Routes.Liveness, Routes.ContainerPort), (ProbeKind.Readiness, Routes.Readiness, Routes.ContainerPort)],
            app.Probes.Select(p => (p.Kind, p.Path, p.Port))));
    }

    [Fact]
    public void Plan_EveryApp_ListensOnTheContainerPort()
    {
        var plan = TestStacks.DefaultPlan();

        Assert.All(plan.Apps, app => Assert.Equal(
            (Routes.ContainerPort, Routes.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            (app.TargetPort, app.LiteralEnv(SettingNames.HttpPorts))));
    }

    [Fact]
    public void Plan_QueueFunction_ScalesOnlyOnItsOwnWorkQueueOfTheStackAccount()
    {
        var plan = TestStacks.DefaultPlan();

        var rule = Assert.Single(plan.App(TestStacks.Worker).Scale.Rules);
        Assert.Equal((ScaleRuleKind.AzureQueue, StorageNames.WorkQueueOf(TestStacks.Worker), plan.Names.StorageAccount), (rule.Kind, rule.QueueName, rule.StorageAccountName));
    }

    [Fact]
    public void Plan_HttpFunctionWithDurableWork_ScalesOnRequestsAndOnItsWorkQueue()
    {
        var plan = TestStacks.DefaultPlan();

        var rules = plan.App(TestStacks.Upload).Scale.Rules;
        Assert.Equal(
            [(ScaleRuleKind.Http, (string?)null), (ScaleRuleKind.AzureQueue, StorageNames.WorkQueueOf(TestStacks.Upload))],
            rules.Select(r => (r.Kind, r.QueueName)));
    }

    [Fact]
    public void Plan_Storage_IsTheUnionOfWhatTheFunctionsDeclare()
    {
        var plan = TestStacks.DefaultPlan();

        Assert.Equal(["uploads"], plan.Containers);
        Assert.Equal(["upload-jobs", "upload-jobs-poison", "worker-jobs", "worker-jobs-poison"], plan.Queues);
        Assert.Equal(["analytics"], plan.Tables);
    }

    [Fact]
    public void Plan_AnalyticsClient_PointsAtTheDeclaredSink()
    {
        var plan = TestStacks.DefaultPlan();

        var hello = plan.App(TestStacks.Hello);
        Assert.Contains(hello.Env, e => e.Source == EnvValueSource.FunctionUrl && e.Value == TestStacks.Analytics);
        Assert.DoesNotContain(plan.App(TestStacks.Upload).Env, e => e.Source == EnvValueSource.FunctionUrl);
    }

    [Fact]
    public void Plan_Worker_HasInternalIngressForJobsBehindItsKey()
    {
        var worker = TestStacks.DefaultPlan().App(TestStacks.Worker);

        Assert.Equal(IngressMode.Internal, worker.Ingress);
        Assert.Equal("true", worker.LiteralEnv(SettingNames.ToEnvironmentVariable(SettingNames.FunctionRequireKey)));
    }

    [Theory]
    [InlineData(30, 5)]
    [InlineData(8, 2)]
    [InlineData(5, 1)]
    public void Plan_ReadinessDelay_CoversOneProbePeriodInsideTheDrainBudget(int grace, int expectedDelay)
    {
        var plan = TestStacks.Plan(TestStacks.WithFunctions("{\"hello\":{\"terminationGracePeriodSeconds\":" + grace.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}}"));

        var delay = plan.App(TestStacks.Hello).LiteralEnv(SettingNames.ToEnvironmentVariable(SettingNames.ReadinessDelaySeconds));

        Assert.Equal(expectedDelay.ToString(System.Globalization.CultureInfo.InvariantCulture), delay);
    }

    [Fact]
    public void Plan_HttpApps_ScaleOnConcurrentRequests()
    {
        var plan = TestStacks.DefaultPlan();

        Assert.All(TestStacks.HttpFunctions(), f => Assert.Equal(ScaleRuleKind.Http, plan.App(f).Scale.Rules[0].Kind));
    }

    [Fact]
    public void Plan_DefaultIngress_IsPublicForHelloAndUploadOnly()
    {
        var plan = TestStacks.DefaultPlan();

        Assert.Equal(
            [(TestStacks.Analytics, IngressMode.Internal), (TestStacks.Hello, IngressMode.External), (TestStacks.Upload, IngressMode.External), (TestStacks.Worker, IngressMode.Internal)],
            plan.Apps.Select(a => (a.FunctionName, a.Ingress)));
    }

    [Fact]
    public void Plan_Callers_GetTheAnalyticsUrlAndKey()
    {
        var hello = TestStacks.DefaultPlan().App(TestStacks.Hello);

        Assert.Contains(new EnvVarPlan(SettingNames.ToEnvironmentVariable(SettingNames.AnalyticsEndpoint), EnvValueSource.FunctionUrl, TestStacks.Analytics), hello.Env);
        Assert.Contains(new SecretPlan(StackPlanner.AnalyticsKeySecret, TestStacks.Analytics), hello.Secrets);
    }

    [Fact]
    public void Plan_FunctionUrlReferences_PointAtAnEarlierAppWithIngress()
    {
        var plan = TestStacks.DefaultPlan();

        var references = plan.Apps.SelectMany((app, index) => app.Env
            .Where(e => e.Source == EnvValueSource.FunctionUrl)
            .Select(e => (index, target: plan.Apps.ToList().FindIndex(a => a.FunctionName == e.Value))));

        Assert.All(references, r => Assert.InRange(r.target, 0, r.index - 1));
        Assert.All(references, r => Assert.NotEqual(IngressMode.None, plan.Apps[r.target].Ingress));
    }

    [Fact]
    public void Plan_EverySecretRef_NamesASecretOfTheSameApp()
    {
        var plan = TestStacks.DefaultPlan();

        Assert.All(plan.Apps, app => Assert.All(
            app.Env.Where(e => e.Source == EnvValueSource.SecretRef),
            e => Assert.Contains(e.Value, app.Secrets.Select(s => s.Name))));
    }

    [Fact]
    public void Plan_KeyNotRequired_HasNoFunctionKeySecret()
    {
        var config = TestStacks.WithFunctions("""{"hello":{"requireKey":false}}""");

        var hello = StackPlanner.Plan(TestStacks.Parse(config), TestStacks.Identity).App(TestStacks.Hello);

        Assert.Equal(("false", false), (hello.LiteralEnv(SettingNames.ToEnvironmentVariable(SettingNames.FunctionRequireKey)), hello.Secrets.Any(s => s.Name == StackPlanner.FunctionKeySecret)));
    }

    [Fact]
    public void Plan_EveryKeyProtectedFunction_GetsAGeneratedKeyOfAtLeast32CharactersWithStableNames()
    {
        var keys = TestStacks.DefaultPlan().FunctionKeys;

        Assert.Equal(
            [
                ("analytics", "key-analytics", "analyticsKey", "analyticsKey"), ("analytics", "read-key-analytics", "analyticsReadKey", "analyticsReadKey"),
                ("hello", "key-hello", "helloKey", "helloKey"), ("upload", "key-upload", "uploadKey", "uploadKey"), ("worker", "key-worker", "workerKey", "workerKey"),
            ],
            keys.Select(k => (k.FunctionName, k.LogicalName, k.ConfigKey, k.OutputName)));
        Assert.All(keys, k => Assert.InRange(k.Length, FunctionKeyPlan.MinLength, int.MaxValue));
    }

    [Fact]
    public void Plan_ReadKey_IsTheSinksAloneAndReachesItAsFunctionReadKey()
    {
        var plan = TestStacks.DefaultPlan();

        var holders = plan.Apps.Where(a => a.Secrets.Any(s => s.Use == FunctionKeyUse.Read)).Select(a => a.FunctionName);
        var sink = plan.App(TestStacks.Analytics);

        Assert.Equal([TestStacks.Analytics], holders);
        Assert.Contains(new EnvVarPlan(SettingNames.ToEnvironmentVariable(SettingNames.FunctionReadKey), EnvValueSource.SecretRef, StackPlanner.FunctionReadKeySecret), sink.Env);
        Assert.Contains(new SecretPlan(StackPlanner.FunctionReadKeySecret, TestStacks.Analytics, FunctionKeyUse.Read), sink.Secrets);
    }

    [Fact]
    public void Plan_KeyNotRequiredAnywhere_GeneratesNoKeyForIt()
    {
        var config = TestStacks.WithFunctions("""{"analytics":{"requireKey":false}}""");

        var keys = TestStacks.Plan(config).FunctionKeys;

        Assert.DoesNotContain(TestStacks.Analytics, keys.Select(k => k.FunctionName));
    }

    [Fact]
    public void DefinitionId_Subscription_IsTheFullArmId()
    {
        var id = BuiltInRole.AcrPull.DefinitionId("sub-1");

        Assert.Equal("/subscriptions/sub-1/providers/Microsoft.Authorization/roleDefinitions/7f951dda-4ed3-4680-a7ca-43fe172d538d", id);
    }

    [Fact]
    public void Plan_EveryApp_RunsAsItsOwnIdentity()
    {
        var plan = TestStacks.DefaultPlan();

        var identities = plan.Apps.Select(a => a.Identity.AzureName).ToList();

        Assert.Equal(plan.Apps.Count, identities.Distinct(StringComparer.Ordinal).Count());
        Assert.All(plan.Apps, a => Assert.Equal($"id-edgestack-dev-{a.FunctionName}", a.Identity.AzureName));
    }

    [Fact]
    public void Plan_ReadNeeds_GetReaderRolesOnExactlyThoseResources()
    {
        var functions = FunctionManifest.Parse(
            [("reports", """{"kind":"http","storage":{"containers":{"uploads":"read"},"queues":{"events":"read"},"tables":{"analytics":"read"}}}""")],
            _ => true);

        var plan = StackPlanner.Plan(StackSettingsParser.Parse(TestStacks.Empty(), functions), TestStacks.Identity);

        Assert.Equal(
            [("AcrPull", "registry"), ("Storage Blob Data Reader", "container:uploads"), ("Storage Queue Data Reader", "queue:events"), ("Storage Table Data Reader", "table:analytics")],
            plan.App("reports").Roles.Select(r => (r.Role.Name, r.ScopeDescription)));
    }

    [Fact]
    public void Plan_ResourceDeclaredTwice_GetsTheWiderRoleOnce()
    {
        var functions = FunctionManifest.Parse(
            [("sync", """{"kind":"queue","durableHandlers":["sync"],"storage":{"queues":{"sync-jobs":"read"}}}""")],
            _ => true);

        var plan = StackPlanner.Plan(StackSettingsParser.Parse(TestStacks.Empty(), functions), TestStacks.Identity);

        Assert.Equal(
            [("AcrPull", "registry"), ("Storage Blob Data Contributor", "container:uploads"), ("Storage Queue Data Contributor", "queue:sync-jobs"), ("Storage Queue Data Contributor", "queue:sync-jobs-poison")],
            plan.App("sync").Roles.Select(r => (r.Role.Name, r.ScopeDescription)));
    }

    [Fact]
    public void Plan_Images_AreBuiltFromTheOneDockerfileWithTheirAppForAmd64()
    {
        var upload = TestStacks.DefaultPlan().App(TestStacks.Upload);

        Assert.Equal(
            ("../..", "../../functions/Dockerfile", "linux/amd64", "edgestack/upload", "upload"),
            (upload.Image.Context, upload.Image.Dockerfile, upload.Image.Platform, upload.Image.Repository, upload.Image.BuildArgs["APP"]));
    }

    [Fact]
    public void Plan_LogicalNames_AreLowercaseKebabAndUnique()
    {
        var plan = TestStacks.DefaultPlan();

        var names = plan.Apps.SelectMany(a => new[] { a.LogicalName, a.Image.LogicalName })
            .Concat(plan.RoleAssignments.Select(r => r.LogicalName))
            .Concat(plan.Apps.Select(a => a.Identity.LogicalName))
            .Concat(plan.FunctionKeys.Select(k => k.LogicalName))
            .ToList();

        Assert.All(names, n => Assert.Matches("^[a-z][a-z0-9-]*[a-z0-9]$", n));
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Plan_InvalidDerivedName_FailsNamingTheResource()
    {
        var identity = new StackIdentity("sub", "-", "1");

        var exception = Assert.Throws<InvalidOperationException>(() => StackPlanner.Plan(TestStacks.DefaultSettings(), identity));

        Assert.Contains("container app name", exception.Message, StringComparison.Ordinal);
    }
}
