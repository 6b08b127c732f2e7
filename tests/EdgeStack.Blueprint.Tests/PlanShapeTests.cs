using EdgeStack.Contracts;

namespace EdgeStack.Blueprint.Tests;

/// <summary>Plan details that the shipped functions do not exercise: other declaration shapes, lookups, guards.</summary>
public class PlanShapeTests
{
    // Properties, not fields: each test plans afresh, so a mutation tool that switches code per test sees every plan.
    private static IReadOnlyList<FunctionDeclaration> WithClientJob => FunctionManifest.Parse(
        [
            ("zsink", """{"kind":"http","ingress":"internal","analytics":"sink","storage":{"tables":{"events":"readwrite"}}}"""),
            ("api", """{"kind":"http","analytics":"client","requireKey":false}"""),
            ("hook", """{"kind":"http","ingress":"none"}"""),
            ("nightly", """{"kind":"scheduled","schedule":"0 3 * * *","analytics":"client","storage":{"containers":{"images":"read"}}}"""),
        ],
        _ => true);

    private static StackPlan Plan => StackPlanner.Plan(StackSettingsParser.Parse(TestStacks.Empty(), WithClientJob), TestStacks.Identity);

    [Fact]
    public void Plan_Sink_IsPlannedFirstWhateverItsName()
    {
        var order = Plan.Apps.Select(a => a.FunctionName);

        Assert.Equal(["zsink", "api", "hook"], order);
    }

    [Fact]
    public void Plan_HttpFunctionDeclaringNoIngress_HasNone()
    {
        var hook = Plan.App("hook");

        Assert.Equal(IngressMode.None, hook.Ingress);
    }

    [Fact]
    public void Plan_AnalyticsClientJob_GetsTheSinkUrlAndKey()
    {
        var job = Plan.Job("nightly");

        Assert.Contains(new EnvVarPlan(SettingNames.ToEnvironmentVariable(SettingNames.AnalyticsEndpoint), EnvValueSource.FunctionUrl, "zsink"), job.Env);
        Assert.Contains(new EnvVarPlan(SettingNames.ToEnvironmentVariable(SettingNames.AnalyticsKey), EnvValueSource.SecretRef, StackPlanner.AnalyticsKeySecret), job.Env);
        Assert.Contains(new SecretPlan(StackPlanner.AnalyticsKeySecret, "zsink"), job.Secrets);
    }

    [Fact]
    public void Plan_FunctionKeys_CoverEverySecretOfEveryAppAndJob()
    {
        var secrets = Plan.Apps.SelectMany(a => a.Secrets).Concat(Plan.Jobs.SelectMany(j => j.Secrets)).Select(s => (s.FunctionName, s.Use)).Distinct();

        Assert.All(secrets, s => Assert.Contains(s, Plan.FunctionKeys.Select(k => (k.FunctionName, k.Use))));
    }

    [Fact]
    public void Plan_EverySecretOfAnApp_IsReadByAnEnvVariable()
    {
        var unread = Plan.Apps.Concat(TestStacks.DefaultPlan().Apps)
            .SelectMany(a => a.Secrets.Where(s => !a.Env.Any(e => e.Source == EnvValueSource.SecretRef && e.Value == s.Name)).Select(s => (a.FunctionName, s.Name)));

        Assert.Empty(unread);
    }

    [Fact]
    public void Plan_Job_IsInTheStacksRoleAssignments()
    {
        var roles = Plan.RoleAssignments.Select(r => r.LogicalName);

        Assert.Superset(Plan.Job("nightly").Roles.Select(r => r.LogicalName).ToHashSet(StringComparer.Ordinal), roles.ToHashSet(StringComparer.Ordinal));
    }

    [Fact]
    public void Plan_Job_ImageRepositoryIsProjectSlashFunction()
    {
        var repository = Plan.Job("nightly").Image.Repository;

        Assert.Equal("edgestack/nightly", repository);
    }

    [Fact]
    public void Roles_ReadAndReadWriteNeeds_AreNamedByTheirLevel()
    {
        var names = Plan.Job("nightly").Roles.Concat(Plan.App("zsink").Roles).Select(r => r.LogicalName);

        Assert.Equal(["role-nightly-acr-pull", "role-nightly-container-images-reader", "role-zsink-acr-pull", "role-zsink-table-events-contributor"], names);
    }

    [Fact]
    public void Parse_ScheduledFunction_NeverRequiresAKey()
    {
        var settings = StackSettingsParser.Parse(TestStacks.Empty(), WithClientJob);

        Assert.Equal((false, false, true), (settings.For("nightly").RequireKey, settings.For("api").RequireKey, settings.For("hook").RequireKey));
    }

    [Fact]
    public void Secrets_AreEachNonScheduledFunctionsKeyAndTheSinksReadKey()
    {
        var secrets = StackConfigKeys.Secrets(WithClientJob);

        Assert.Equal(["apiKey", "hookKey", "zsinkKey", "zsinkReadKey"], secrets.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Declaration_WithoutDurableHandlers_HasNoWorkQueues()
    {
        var api = WithClientJob.Single(f => f.Name == "api");

        Assert.Equal((null, null), (api.WorkQueue, api.PoisonQueue));
    }

    [Fact]
    public void Lookups_OfAnUnknownFunction_ReturnNothingOrSaySo()
    {
        Assert.Null(Plan.App("api").LiteralEnv("NO_SUCH_VARIABLE"));
        Assert.Null(Plan.Job("nightly").LiteralEnv("NO_SUCH_VARIABLE"));
        Assert.Throws<ArgumentOutOfRangeException>(() => Plan.App("nightly"));
        Assert.Throws<ArgumentOutOfRangeException>(() => Plan.Job("api"));
        Assert.Throws<ArgumentOutOfRangeException>(() => StackSettingsParser.Parse(TestStacks.Empty(), WithClientJob).For("nope"));
    }

    [Fact]
    public void PublicEntryPoints_RefuseNullOrEmptyArguments()
    {
        var names = ResourceNames.Create(TestStacks.Identity);
        var settings = StackSettingsParser.Parse(TestStacks.Empty(), WithClientJob);
        Action[] calls =
        [
            () => AccessPlanner.Roles(null!),
            () => AccessPlanner.Identity(null!, names),
            () => AccessPlanner.Identity(WithClientJob[0], null!),
            () => JobPlanner.Plan(null!, names, TestStacks.Identity),
            () => JobPlanner.Plan(settings, null!, TestStacks.Identity),
            () => JobPlanner.Plan(settings, names, null!),
            () => BuiltInRole.AcrPull.DefinitionId(""),
            () => FunctionManifest.FindRepositoryRoot(""),
            () => FunctionManifest.Discover(""),
            () => FunctionManifest.Parse(null!, _ => true),
            () => FunctionManifest.Parse([], null!),
            () => FunctionManifest.PascalCase(""),
            () => ResourceNames.Create(null!),
            () => names.ContainerApp(""),
            () => names.Identity(""),
            () => names.Problems(null!),
            () => StackConfigKeys.FunctionKey(""),
            () => StackConfigKeys.FunctionReadKey(""),
            () => StackPlanner.Plan(null!, TestStacks.Identity),
            () => StackPlanner.Plan(settings, null!),
            () => StackSettingsParser.Parse(null!, WithClientJob),
            () => StackSettingsParser.Parse(TestStacks.Empty(), null!),
        ];

        Assert.All(calls, call => Assert.ThrowsAny<ArgumentException>(call));
    }

    [Fact]
    public void BuiltInRoles_HaveNamesAndDistinctGuidIds()
    {
        var roles = BuiltInRole.All;

        Assert.All(roles, r => Assert.True(r.Name.Length > 0 && Guid.TryParse(r.DefinitionGuid, out _), r.Name));
        Assert.Equal(roles.Count, roles.Select(r => r.DefinitionGuid).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(roles.Count, roles.Select(r => r.Name).Distinct(StringComparer.Ordinal).Count());
    }
}
