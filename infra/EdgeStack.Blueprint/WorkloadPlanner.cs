using System.Globalization;
using EdgeStack.Contracts;

namespace EdgeStack.Blueprint;

/// <summary>What <see cref="StackPlanner"/> plans for an app and <see cref="JobPlanner"/> for a job alike: image, runtime environment, analytics client wiring.</summary>
internal static class WorkloadPlanner
{
    /// <summary>A function's image: the one Dockerfile with the function's <c>APP</c>, and the stack's pinned base images when it sets them.</summary>
    public static ImagePlan Image(FunctionSettings function, StackSettings settings, StackIdentity identity)
    {
        var args = new Dictionary<string, string>(StringComparer.Ordinal) { [StackPlanner.DockerfileAppArgument] = function.Name };
        if (settings.BuildImage is { } buildImage)
        {
            args[StackPlanner.DockerfileBuildImageArgument] = buildImage;
        }

        if (settings.RuntimeImage is { } runtimeImage)
        {
            args[StackPlanner.DockerfileRuntimeImageArgument] = runtimeImage;
        }

        return new ImagePlan(
            LogicalNames.Image(function.Name),
            $"{identity.Project}/{function.Name}",
            identity.Stack,
            StackPlanner.BuildContext,
            $"{StackPlanner.BuildContext}/{StackPlanner.Dockerfile}",
            StackPlanner.ImagePlatform,
            args);
    }

    /// <summary>
    /// The environment every function runs with: its name, grace period and task timeout, then <paramref name="kindSpecific"/>,
    /// then its identity and the storage endpoints.
    /// </summary>
    public static List<EnvVarPlan> RuntimeEnv(FunctionSettings function, params IEnumerable<EnvVarPlan> kindSpecific) =>
    [
        Literal(SettingNames.FunctionName, function.Name),
        Literal(SettingNames.TerminationGracePeriodSeconds, function.TerminationGracePeriodSeconds.ToString(CultureInfo.InvariantCulture)),
        Literal(SettingNames.TaskTimeoutSeconds, function.TaskTimeoutSeconds.ToString(CultureInfo.InvariantCulture)),
        .. kindSpecific,
        FromSource(SettingNames.AzureClientId, EnvValueSource.IdentityClientId),
        FromSource(SettingNames.StorageBlobEndpoint, EnvValueSource.BlobEndpoint),
        FromSource(SettingNames.StorageQueueEndpoint, EnvValueSource.QueueEndpoint),
        FromSource(SettingNames.StorageTableEndpoint, EnvValueSource.TableEndpoint),
    ];

    /// <summary>An analytics client's wiring to the sink: its URL and, when the sink requires one, the sink's (write) key.</summary>
    public static void AddAnalyticsClient(FunctionSettings function, FunctionSettings? sink, List<EnvVarPlan> env, List<SecretPlan> secrets)
    {
        if (function.Declaration.Analytics != AnalyticsRole.Client || sink is null)
        {
            return;
        }

        env.Add(new EnvVarPlan(SettingNames.ToEnvironmentVariable(SettingNames.AnalyticsEndpoint), EnvValueSource.FunctionUrl, sink.Name));
        if (sink.RequireKey)
        {
            secrets.Add(new SecretPlan(StackPlanner.AnalyticsKeySecret, sink.Name));
            env.Add(new EnvVarPlan(SettingNames.ToEnvironmentVariable(SettingNames.AnalyticsKey), EnvValueSource.SecretRef, StackPlanner.AnalyticsKeySecret));
        }
    }

    public static EnvVarPlan Literal(string settingName, string value) =>
        new(SettingNames.ToEnvironmentVariable(settingName), EnvValueSource.Literal, value);

    public static EnvVarPlan FromSource(string settingName, EnvValueSource source) =>
        new(SettingNames.ToEnvironmentVariable(settingName), source, string.Empty);
}
