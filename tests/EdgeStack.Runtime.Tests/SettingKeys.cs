using EdgeStack.Contracts;

namespace EdgeStack.Runtime.Tests;

/// <summary>The runtime's settings as the environment variables a container gets.</summary>
internal static class SettingKeys
{
    public static readonly string Grace = SettingNames.ToEnvironmentVariable(SettingNames.TerminationGracePeriodSeconds);
    public static readonly string DrainBudget = SettingNames.ToEnvironmentVariable(SettingNames.DrainBudgetSeconds);
    public static readonly string ReadinessDelay = SettingNames.ToEnvironmentVariable(SettingNames.ReadinessDelaySeconds);
    public static readonly string TaskTimeout = SettingNames.ToEnvironmentVariable(SettingNames.TaskTimeoutSeconds);
    public static readonly string WallClock = SettingNames.ToEnvironmentVariable(SettingNames.WallClockLimitSeconds);
    public static readonly string CpuTime = SettingNames.ToEnvironmentVariable(SettingNames.CpuTimeLimitSeconds);
    public static readonly string MemoryRatio = SettingNames.ToEnvironmentVariable(SettingNames.MemoryWarningRatio);
    public static readonly string ReplicaTimeout = SettingNames.ToEnvironmentVariable(SettingNames.ReplicaTimeoutSeconds);
    public static readonly string LimitCheckInterval = SettingNames.ToEnvironmentVariable(SettingNames.LimitCheckIntervalSeconds);
}
