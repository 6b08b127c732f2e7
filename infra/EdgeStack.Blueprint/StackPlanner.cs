using System.Globalization;
using EdgeStack.Contracts;

namespace EdgeStack.Blueprint;

/// <summary>Decides what a stack deploys from its settings and identity.</summary>
public static class StackPlanner
{
    /// <summary>The name of the app secret holding the app's own function key.</summary>
    public const string FunctionKeySecret = "function-key";

    /// <summary>The name of the analytics sink's secret holding its read key.</summary>
    public const string FunctionReadKeySecret = "function-read-key";

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

    /// <summary>The Dockerfile's build argument naming the function to package: the function's name.</summary>
    public const string DockerfileAppArgument = "APP";

    /// <summary>The Dockerfile's build argument naming the build stage's base image (the .NET SDK), set from <see cref="StackSettings.BuildImage"/>.</summary>
    public const string DockerfileBuildImageArgument = "BUILD_IMAGE";

    /// <summary>The Dockerfile's build argument naming the final stage's base image, set from <see cref="StackSettings.RuntimeImage"/>.</summary>
    public const string DockerfileRuntimeImageArgument = "RUNTIME_IMAGE";

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
        var problems = names.Problems(settings.Functions.Select(f => f.Name));
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(
                "The stack's resource names are invalid:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  - " + p)));
        }

        // The analytics sink first, so the clients can point at it; then the rest by name.
        var sink = settings.Functions.FirstOrDefault(f => f.Declaration.Analytics == AnalyticsRole.Sink);
        var apps = settings.Functions
            .Where(f => f.Declaration.Kind != FunctionKind.Scheduled)
            .OrderBy(f => f == sink ? 0 : 1)
            .Select(function => PlanApp(function, sink, settings, names, identity))
            .ToList();
        var storage = settings.Functions.SelectMany(f => f.Declaration.AllStorage).ToList();

        var jobs = JobPlanner.Plan(settings, names, identity);
        return new StackPlan
        {
            Identity = identity,
            Location = settings.Location,
            Names = names,
            Network = new NetworkPlan(names.VirtualNetwork, settings.VirtualNetworkAddressSpace, NetworkPlan.EnvironmentSubnetName, settings.EnvironmentSubnetPrefix),
            AnalyticsRetentionDays = settings.AnalyticsRetentionDays,
            Apps = apps,
            // A key exists exactly when an app holds it: its own function's, or the sink's for a client.
            FunctionKeys = [.. apps.SelectMany(a => a.Secrets).Concat(jobs.SelectMany(j => j.Secrets)).Select(s => (s.FunctionName, s.Use)).Distinct().OrderBy(k => k.FunctionName, StringComparer.Ordinal).ThenBy(k => k.Use).Select(k => PlanFunctionKey(k.FunctionName, k.Use))],
            Jobs = jobs,
            Containers = Distinct(storage, StorageKind.Container),
            Queues = Distinct(storage, StorageKind.Queue),
            Tables = Distinct(storage, StorageKind.Table),
        };
    }

    private static FunctionKeyPlan PlanFunctionKey(string functionName, FunctionKeyUse use) => new(
        functionName,
        use,
        use == FunctionKeyUse.Read ? LogicalNames.FunctionReadKey(functionName) : LogicalNames.FunctionKey(functionName),
        StackConfigKeys.Key(functionName, use),
        use == FunctionKeyUse.Read ? StackOutputNames.FunctionReadKey(functionName) : StackOutputNames.FunctionKey(functionName),
        FunctionKeyPlan.GeneratedLength);

    private static List<string> Distinct(IEnumerable<StorageNeed> storage, StorageKind kind) =>
        [.. storage.Where(s => s.Kind == kind).Select(s => s.Name).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    private static AppPlan PlanApp(FunctionSettings function, FunctionSettings? sink, StackSettings settings, ResourceNames names, StackIdentity identity)
    {
        var declaration = function.Declaration;
        var env = WorkloadPlanner.RuntimeEnv(
            function,
            WorkloadPlanner.Literal(SettingNames.ReadinessDelaySeconds, ReadinessDelaySeconds(function.TerminationGracePeriodSeconds).ToString(CultureInfo.InvariantCulture)),
            WorkloadPlanner.Literal(SettingNames.FunctionRequireKey, function.RequireKey ? "true" : "false"));
        env.Insert(0, WorkloadPlanner.Literal(SettingNames.HttpPorts, Routes.ContainerPort.ToString(CultureInfo.InvariantCulture)));
        var secrets = new List<SecretPlan>();

        if (function.RequireKey)
        {
            secrets.Add(new SecretPlan(FunctionKeySecret, function.Name));
            env.Add(new EnvVarPlan(SettingNames.ToEnvironmentVariable(SettingNames.FunctionKey), EnvValueSource.SecretRef, FunctionKeySecret));
            if (declaration.Analytics == AnalyticsRole.Sink)
            {
                // The sink's events are read with a key of their own: the clients' key only writes.
                secrets.Add(new SecretPlan(FunctionReadKeySecret, function.Name, FunctionKeyUse.Read));
                env.Add(new EnvVarPlan(SettingNames.ToEnvironmentVariable(SettingNames.FunctionReadKey), EnvValueSource.SecretRef, FunctionReadKeySecret));
            }
        }

        WorkloadPlanner.AddAnalyticsClient(function, sink, env, secrets);

        // HTTP functions scale on requests; a function with durable work also scales on its own work queue, so
        // handed-off work wakes it from zero replicas.
        var rules = new List<ScaleRulePlan>();
        if (declaration.Kind == FunctionKind.Http)
        {
            rules.Add(new ScaleRulePlan("http", ScaleRuleKind.Http, ConcurrentRequestsPerReplica, null, null, null));
        }

        if (declaration.WorkQueue is { } workQueue)
        {
            rules.Add(new ScaleRulePlan("work-queue", ScaleRuleKind.AzureQueue, null, workQueue, MessagesPerWorkerReplica, names.StorageAccount));
        }

        return new AppPlan
        {
            FunctionName = function.Name,
            LogicalName = LogicalNames.App(function.Name),
            AppName = names.ContainerApp(function.Name),
            Identity = AccessPlanner.Identity(declaration, names),
            Roles = AccessPlanner.Roles(declaration),
            Image = WorkloadPlanner.Image(function, settings, identity),
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
            Scale = new ScalePlan(function.MinReplicas, function.MaxReplicas, rules),
            TerminationGracePeriodSeconds = function.TerminationGracePeriodSeconds,
            // The declaration decides whether there is ingress at all; the stack may turn an HTTP function's public ingress internal or back.
            Ingress = declaration.DefaultIngress == IngressMode.None ? IngressMode.None
                : declaration.Kind == FunctionKind.Http && function.ExternalIngress ? IngressMode.External
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
}
