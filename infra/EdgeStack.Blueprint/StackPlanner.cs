using System.Globalization;
using EdgeStack.Contracts;

namespace EdgeStack.Blueprint;

/// <summary>Decides what a stack deploys from its settings and identity.</summary>
public static class StackPlanner
{
    /// <summary>The name of the app secret holding the app's own function key.</summary>
    public const string FunctionKeySecret = "function-key";

    /// <summary>The name of the app secret holding the analytics sink's key.</summary>
    public const string AnalyticsKeySecret = "analytics-key";

    /// <summary>Concurrent requests per replica before an HTTP app scales out.</summary>
    public const int ConcurrentRequestsPerReplica = 50;

    /// <summary>Queue messages per worker replica before the worker scales out.</summary>
    public const int MessagesPerWorkerReplica = 5;

    /// <summary>Seconds between readiness probes.</summary>
    public const int ReadinessPeriodSeconds = 5;

    /// <summary>The platform every image is built for (Container Apps runs linux/amd64).</summary>
    public const string ImagePlatform = "linux/amd64";

    /// <summary>The build context, relative to the Pulumi program folder <c>infra/EdgeStack.Infra</c>: the repository root.</summary>
    public const string BuildContext = "../..";

    /// <summary>The one Dockerfile every function image is built from, relative to the repository root.</summary>
    public const string Dockerfile = "functions/Dockerfile";

    private static readonly IReadOnlyList<RoleAssignmentPlan> Roles =
    [
        new("role-acr-pull", "AcrPull", "7f951dda-4ed3-4680-a7ca-43fe172d538d", RoleScope.Registry),
        new("role-storage-blob-data-contributor", "Storage Blob Data Contributor", "ba92f5b4-2d11-453d-a403-e96b0029c9fe", RoleScope.StorageAccount),
        new("role-storage-queue-data-contributor", "Storage Queue Data Contributor", "974c5e8b-45b9-4653-ba55-5f855dd0fb88", RoleScope.StorageAccount),
        new("role-storage-table-data-contributor", "Storage Table Data Contributor", "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", RoleScope.StorageAccount),
    ];

    /// <summary>Builds the plan.</summary>
    /// <param name="settings">The validated stack settings.</param>
    /// <param name="identity">The subscription, project and stack.</param>
    /// <returns>The plan.</returns>
    /// <exception cref="InvalidOperationException">A derived Azure name breaks its naming rules; the message lists each.</exception>
    public static StackPlan Plan(StackSettings settings, StackIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(identity);

        var names = ResourceNames.Create(identity);
        var problems = names.Problems(FunctionCatalog.All.Select(f => f.Name));
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(
                "The stack's resource names are invalid:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  - " + p)));
        }

        var analytics = settings.For(FunctionNames.Analytics);
        var apps = FunctionCatalog.All
            .Select(definition => PlanApp(definition, settings.For(definition.Name), analytics, names, identity))
            .ToList();

        return new StackPlan
        {
            Identity = identity,
            Location = settings.Location,
            Names = names,
            AnalyticsRetentionDays = settings.AnalyticsRetentionDays,
            Apps = apps,
            RoleAssignments = Roles,
            UploadsContainer = StorageNames.UploadsContainer,
            Queues = [StorageNames.JobsQueue, StorageNames.PoisonQueue],
            AnalyticsTable = StorageNames.AnalyticsTable,
        };
    }

    private static AppPlan PlanApp(
        FunctionDefinition definition,
        FunctionSettings function,
        FunctionSettings analytics,
        ResourceNames names,
        StackIdentity identity)
    {
        var env = new List<EnvVarPlan>
        {
            Literal(SettingNames.HttpPorts, Routes.ContainerPort.ToString(CultureInfo.InvariantCulture)),
            Literal(SettingNames.FunctionName, function.Name),
            Literal(SettingNames.TerminationGracePeriodSeconds, function.TerminationGracePeriodSeconds.ToString(CultureInfo.InvariantCulture)),
            Literal(SettingNames.TaskTimeoutSeconds, function.TaskTimeoutSeconds.ToString(CultureInfo.InvariantCulture)),
            Literal(SettingNames.ReadinessDelaySeconds, ReadinessDelaySeconds(function.TerminationGracePeriodSeconds).ToString(CultureInfo.InvariantCulture)),
            Literal(SettingNames.FunctionRequireKey, function.RequireKey ? "true" : "false"),
            FromSource(SettingNames.AzureClientId, EnvValueSource.IdentityClientId),
            FromSource(SettingNames.StorageBlobEndpoint, EnvValueSource.BlobEndpoint),
            FromSource(SettingNames.StorageQueueEndpoint, EnvValueSource.QueueEndpoint),
            FromSource(SettingNames.StorageTableEndpoint, EnvValueSource.TableEndpoint),
        };
        var secrets = new List<SecretPlan>();

        if (function.RequireKey)
        {
            secrets.Add(new SecretPlan(FunctionKeySecret, StackConfigKeys.FunctionKey(function.Name)));
            env.Add(new EnvVarPlan(SettingNames.ToEnvironmentVariable(SettingNames.FunctionKey), EnvValueSource.SecretRef, FunctionKeySecret));
        }

        if (definition.CallsAnalytics)
        {
            env.Add(new EnvVarPlan(SettingNames.ToEnvironmentVariable(SettingNames.AnalyticsEndpoint), EnvValueSource.FunctionUrl, FunctionNames.Analytics));
            if (analytics.RequireKey)
            {
                secrets.Add(new SecretPlan(AnalyticsKeySecret, StackConfigKeys.FunctionKey(FunctionNames.Analytics)));
                env.Add(new EnvVarPlan(SettingNames.ToEnvironmentVariable(SettingNames.AnalyticsKey), EnvValueSource.SecretRef, AnalyticsKeySecret));
            }
        }

        var rule = definition.Kind == FunctionKind.QueueWorker
            ? new ScaleRulePlan("jobs-queue", ScaleRuleKind.AzureQueue, null, StorageNames.JobsQueue, MessagesPerWorkerReplica, names.StorageAccount)
            : new ScaleRulePlan("http", ScaleRuleKind.Http, ConcurrentRequestsPerReplica, null, null, null);

        return new AppPlan
        {
            FunctionName = function.Name,
            LogicalName = LogicalNames.App(function.Name),
            AppName = names.ContainerApp(function.Name),
            Image = new ImagePlan(
                LogicalNames.Image(function.Name),
                $"{identity.Project}/{function.Name}",
                identity.Stack,
                BuildContext,
                $"{BuildContext}/{Dockerfile}",
                ImagePlatform,
                new Dictionary<string, string>(StringComparer.Ordinal) { ["APP"] = definition.DockerfileApp }),
            Env = env,
            Secrets = secrets,
            Probes =
            [
                // Liveness stays 200 through drain, so only a hung process fails it.
                new ProbePlan(ProbeKind.Liveness, Routes.Liveness, Routes.ContainerPort, PeriodSeconds: 10, FailureThreshold: 3, TimeoutSeconds: 2),

                // Readiness turns 503 at SIGTERM; a short period takes the replica out of rotation quickly.
                new ProbePlan(ProbeKind.Readiness, Routes.Readiness, Routes.ContainerPort, PeriodSeconds: ReadinessPeriodSeconds, FailureThreshold: 1, TimeoutSeconds: 2),
            ],
            Cpu = function.Cpu,
            Memory = function.Memory,
            Scale = new ScalePlan(function.MinReplicas, function.MaxReplicas, [rule]),
            TerminationGracePeriodSeconds = function.TerminationGracePeriodSeconds,
            // The worker's ingress is internal: its POST /jobs takes long jobs from the other apps, never from the internet.
            Ingress = definition.Kind == FunctionKind.QueueWorker ? IngressMode.Internal
                : function.ExternalIngress ? IngressMode.External
                : IngressMode.Internal,
            TargetPort = Routes.ContainerPort,
        };
    }

    /// <summary>
    /// How long the listener keeps accepting after SIGTERM: one readiness period, so the platform sees the 503 and
    /// stops routing before connections are refused; a quarter of the grace period at most, well inside the drain budget.
    /// </summary>
    public static int ReadinessDelaySeconds(int terminationGracePeriodSeconds) =>
        Math.Min(ReadinessPeriodSeconds, terminationGracePeriodSeconds / 4);

    private static EnvVarPlan Literal(string settingName, string value) =>
        new(SettingNames.ToEnvironmentVariable(settingName), EnvValueSource.Literal, value);

    private static EnvVarPlan FromSource(string settingName, EnvValueSource source) =>
        new(SettingNames.ToEnvironmentVariable(settingName), source, string.Empty);
}
