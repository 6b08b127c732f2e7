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
        var env = WorkloadPlanner.RuntimeEnv(
            function,
            WorkloadPlanner.Literal(SettingNames.ReplicaTimeoutSeconds, function.ReplicaTimeoutSeconds.ToString(CultureInfo.InvariantCulture)));
        var secrets = new List<SecretPlan>();
        WorkloadPlanner.AddAnalyticsClient(function, sink, env, secrets);

        return new JobPlan
        {
            FunctionName = function.Name,
            LogicalName = LogicalNames.Job(function.Name),
            JobName = names.ContainerApp(function.Name),
            Image = WorkloadPlanner.Image(function, settings, identity),
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
}
