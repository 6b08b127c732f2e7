using System.Globalization;
using EdgeStack.Contracts;

namespace EdgeStack.Blueprint;

/// <summary>Plans one Container Apps Job per scheduled function: same image build, identity, env and grace period as an app, a schedule trigger instead of ingress and scale rules.</summary>
public static class JobPlanner
{
    /// <summary>Plans the jobs of a stack's scheduled functions, by name.</summary>
    /// <param name="settings">The validated stack settings.</param>
    /// <param name="names">The stack's resource names.</param>
    /// <param name="identity">The subscription, project and stack.</param>
    /// <returns>One job per scheduled function.</returns>
    /// <exception cref="InvalidOperationException">A scheduled function has no valid schedule; the message names each.</exception>
    public static IReadOnlyList<JobPlan> Plan(StackSettings settings, ResourceNames names, StackIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(identity);

        var scheduled = settings.Functions.Where(f => f.Declaration.Kind == FunctionKind.Scheduled).OrderBy(f => f.Name, StringComparer.Ordinal).ToList();

        // The manifest reader refuses a bad schedule already; a declaration built in code gets the same check here.
        var problems = scheduled
            .Select(f => f.Declaration.Schedule is { } cron
                ? FunctionManifest.ScheduleProblem(cron) is { } problem ? $"  - {f.Name}: schedule: {problem}" : null
                : $"  - {f.Name}: schedule: a scheduled function needs a cron expression (UTC, five fields).")
            .OfType<string>()
            .ToList();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("Scheduled functions without a valid schedule:" + Environment.NewLine + string.Join(Environment.NewLine, problems));
        }

        var sink = settings.Functions.FirstOrDefault(f => f.Declaration.Analytics == AnalyticsRole.Sink);
        return [.. scheduled.Select(function => PlanJob(function, sink, settings, names, identity))];
    }

    private static JobPlan PlanJob(FunctionSettings function, FunctionSettings? sink, StackSettings settings, ResourceNames names, StackIdentity identity)
    {
        var env = new List<EnvVarPlan>
        {
            Literal(SettingNames.FunctionName, function.Name),
            Literal(SettingNames.TerminationGracePeriodSeconds, function.TerminationGracePeriodSeconds.ToString(CultureInfo.InvariantCulture)),
            Literal(SettingNames.TaskTimeoutSeconds, function.TaskTimeoutSeconds.ToString(CultureInfo.InvariantCulture)),
            Literal(SettingNames.ReplicaTimeoutSeconds, function.ReplicaTimeoutSeconds.ToString(CultureInfo.InvariantCulture)),
            FromSource(SettingNames.AzureClientId, EnvValueSource.IdentityClientId),
            FromSource(SettingNames.StorageBlobEndpoint, EnvValueSource.BlobEndpoint),
            FromSource(SettingNames.StorageQueueEndpoint, EnvValueSource.QueueEndpoint),
            FromSource(SettingNames.StorageTableEndpoint, EnvValueSource.TableEndpoint),
        };
        var secrets = new List<SecretPlan>();
        if (function.Declaration.Analytics == AnalyticsRole.Client && sink is not null)
        {
            env.Add(new EnvVarPlan(SettingNames.ToEnvironmentVariable(SettingNames.AnalyticsEndpoint), EnvValueSource.FunctionUrl, sink.Name));
            if (sink.RequireKey)
            {
                secrets.Add(new SecretPlan(StackPlanner.AnalyticsKeySecret, sink.Name));
                env.Add(new EnvVarPlan(SettingNames.ToEnvironmentVariable(SettingNames.AnalyticsKey), EnvValueSource.SecretRef, StackPlanner.AnalyticsKeySecret));
            }
        }

        return new JobPlan
        {
            FunctionName = function.Name,
            LogicalName = LogicalNames.Job(function.Name),
            JobName = names.ContainerApp(function.Name),
            Image = StackPlanner.PlanImage(function.Name, settings, identity),
            Identity = AccessPlanner.Identity(function.Declaration, names),
            Roles = AccessPlanner.Roles(function.Declaration),
            Env = env,
            Secrets = secrets,
            CronExpression = function.Declaration.Schedule!,
            ReplicaTimeoutSeconds = function.ReplicaTimeoutSeconds,
            ReplicaRetryLimit = function.ReplicaRetryLimit,
            Cpu = function.Cpu,
            Memory = function.Memory,
            TerminationGracePeriodSeconds = function.TerminationGracePeriodSeconds,
        };
    }

    private static EnvVarPlan Literal(string settingName, string value) =>
        new(SettingNames.ToEnvironmentVariable(settingName), EnvValueSource.Literal, value);

    private static EnvVarPlan FromSource(string settingName, EnvValueSource source) =>
        new(SettingNames.ToEnvironmentVariable(settingName), source, string.Empty);
}
