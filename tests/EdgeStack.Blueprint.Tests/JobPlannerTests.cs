using EdgeStack.Contracts;

namespace EdgeStack.Blueprint.Tests;

public class JobPlannerTests
{
    private const string Nightly = "nightly";
    private const string NightlyDeclaration = """{"kind":"scheduled","schedule":"0 3 * * *","storage":{"tables":{"analytics":"read"}}}""";

    private static IReadOnlyList<FunctionDeclaration> Functions => FunctionManifest.Parse(
        [
            (TestStacks.Analytics, """{"kind":"http","ingress":"internal","analytics":"sink","storage":{"tables":{"analytics":"readwrite"}}}"""),
            (Nightly, NightlyDeclaration),
        ],
        _ => true);

    private static IReadOnlySet<string> Secrets => StackConfigKeys.Secrets(Functions).ToHashSet(StringComparer.Ordinal);

    [Fact]
    public void Plan_ScheduledFunction_IsAJobWithItsScheduleNotAnApp()
    {
        var plan = Plan("{}");

        Assert.Equal([Nightly], plan.Jobs.Select(j => j.FunctionName));
        Assert.Equal("0 3 * * *", plan.Job(Nightly).CronExpression);
        Assert.DoesNotContain(plan.Apps, a => a.FunctionName == Nightly);
    }

    [Fact]
    public void Plan_Job_BuildsTheSameImageAsAnAppWithItsNameAsTheAppArgument()
    {
        var plan = Plan("{}");

        var (job, app) = (plan.Job(Nightly).Image, plan.App(TestStacks.Analytics).Image);

        Assert.Equal((app.Context, app.Dockerfile, app.Platform), (job.Context, job.Dockerfile, job.Platform));
        Assert.Equal(Nightly, job.BuildArgs[StackPlanner.DockerfileAppArgument]);
    }

    [Fact]
    public void Plan_JobSettingsUnset_TakeTheirDefaults()
    {
        var job = Plan("{}").Job(Nightly);

        Assert.Equal(
            (FunctionSettings.DefaultReplicaTimeoutSeconds, FunctionSettings.DefaultReplicaRetryLimit, FunctionSettings.DefaultTerminationGracePeriodSeconds),
            (job.ReplicaTimeoutSeconds, job.ReplicaRetryLimit, job.TerminationGracePeriodSeconds));
    }

    [Fact]
    public void Plan_ReplicaTimeoutAndRetryLimit_ReachTheJobAndTheRuntimeEnv()
    {
        var job = Plan("""{"nightly":{"replicaTimeoutSeconds":600,"replicaRetryLimit":3,"terminationGracePeriodSeconds":20}}""").Job(Nightly);

        Assert.Equal((600, 3, 20), (job.ReplicaTimeoutSeconds, job.ReplicaRetryLimit, job.TerminationGracePeriodSeconds));
        Assert.Equal("600", job.LiteralEnv(SettingNames.ToEnvironmentVariable(SettingNames.ReplicaTimeoutSeconds)));
        Assert.Equal("20", job.LiteralEnv(SettingNames.ToEnvironmentVariable(SettingNames.TerminationGracePeriodSeconds)));
    }

    [Fact]
    public void Plan_Job_GetsTheStorageEndpointsAndIdentityButNoKey()
    {
        var job = Plan("{}").Job(Nightly);

        Assert.Subset(job.Env.Select(e => e.Source).ToHashSet(), new HashSet<EnvValueSource> { EnvValueSource.BlobEndpoint, EnvValueSource.QueueEndpoint, EnvValueSource.TableEndpoint, EnvValueSource.IdentityClientId });
        Assert.DoesNotContain(job.Env, e => e.Name == SettingNames.ToEnvironmentVariable(SettingNames.FunctionKey));
        Assert.DoesNotContain(StackConfigKeys.FunctionKey(Nightly), Secrets);
    }

    [Theory]
    [InlineData("""{"nightly":{"replicaTimeoutSeconds":30}}""", "functions.nightly.replicaTimeoutSeconds: 30 must be more than functions.nightly.terminationGracePeriodSeconds (30)")]
    [InlineData("""{"nightly":{"replicaTimeoutSeconds":90000}}""", "functions.nightly.replicaTimeoutSeconds: '90000' is not a whole number from 6 to 86400")]
    [InlineData("""{"nightly":{"replicaRetryLimit":-1}}""", "functions.nightly.replicaRetryLimit: '-1' is not a whole number from 0 to 10")]
    [InlineData("""{"nightly":{"terminationGracePeriodSeconds":60,"replicaTimeoutSeconds":600}}""", "functions.nightly.terminationGracePeriodSeconds: 60 is more than 30")]
    [InlineData("""{"nightly":{"minReplicas":1}}""", "functions.nightly.minReplicas: the nightly function is scheduled")]
    [InlineData("""{"analytics":{"replicaTimeoutSeconds":600}}""", "functions.analytics.replicaTimeoutSeconds: only a scheduled function has this setting")]
    public void Parse_BadJobSetting_FailsNamingTheKey(string functions, string expected)
    {
        var exception = Assert.Throws<InvalidOperationException>(() => Parse(functions));

        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_ScheduledDeclarationWithABadCron_FailsNamingTheFunction()
    {
        var good = Functions.Single(f => f.Name == Nightly);
        var settings = new StackSettings
        {
            Location = "westeurope",
            AnalyticsRetentionDays = 30,
            Functions = [new FunctionSettings { Declaration = good with { Name = "broken", Schedule = "0 3 * *" }, RequireKey = false }],
        };

        var exception = Assert.Throws<InvalidOperationException>(() => StackPlanner.Plan(settings, TestStacks.Identity));

        Assert.Contains("broken: schedule: '0 3 * *' has 4 fields", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Discover_ScheduledFunctionWithABadCron_FailsNamingItsDeclaration()
    {
        var root = Directory.CreateTempSubdirectory("edgestack-jobs-");
        try
        {
            var folder = Directory.CreateDirectory(Path.Combine(root.FullName, FunctionManifest.FunctionsFolder, Nightly));
            File.WriteAllText(Path.Combine(folder.FullName, Nightly + ".csproj"), "<Project />");
            File.WriteAllText(Path.Combine(folder.FullName, FunctionManifest.FileName), """{"kind":"scheduled","schedule":"0 25 * * *"}""");

            var exception = Assert.Throws<InvalidOperationException>(() => FunctionManifest.Discover(root.FullName));

            Assert.Contains("functions/nightly/edgestack.json: schedule: '0 25 * * *' is not a valid cron expression", exception.Message, StringComparison.Ordinal);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    private static StackSettings Parse(string functions) =>
        StackSettingsParser.Parse(TestStacks.WithFunctions(functions), Functions);

    private static StackPlan Plan(string functions) => StackPlanner.Plan(Parse(functions), TestStacks.Identity);
}
