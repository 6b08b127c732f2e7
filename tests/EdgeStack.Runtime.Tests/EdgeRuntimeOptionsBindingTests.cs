using EdgeStack.Contracts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EdgeStack.Runtime.Tests;

/// <summary>The runtime reads each setting under the name the infrastructure writes (SettingNames), as container env.</summary>
public sealed class EdgeRuntimeOptionsBindingTests
{
    [Fact]
    public void AddEdgeRuntime_SettingsAsContainerEnvironment_BindEveryOption()
    {
        var env = new Dictionary<string, string?>
        {
            [SettingNames.ToEnvironmentVariable(SettingNames.TerminationGracePeriodSeconds)] = "120",
            [SettingNames.ToEnvironmentVariable(SettingNames.ShutdownTimeoutSeconds)] = "110",
            [SettingNames.ToEnvironmentVariable(SettingNames.DrainBudgetSeconds)] = "100",
            [SettingNames.ToEnvironmentVariable(SettingNames.ReadinessDelaySeconds)] = "3",
            [SettingNames.ToEnvironmentVariable(SettingNames.TaskTimeoutSeconds)] = "42",
            [SettingNames.ToEnvironmentVariable(SettingNames.WallClockLimitSeconds)] = "3600",
            [SettingNames.ToEnvironmentVariable(SettingNames.CpuTimeLimitSeconds)] = "600",
            [SettingNames.ToEnvironmentVariable(SettingNames.MemoryWarningRatio)] = "0.75",
            [SettingNames.ToEnvironmentVariable(SettingNames.LimitCheckIntervalSeconds)] = "2",
            [SettingNames.ToEnvironmentVariable(SettingNames.RetireOnUnhandledRejection)] = "true",
        };
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(env.Select(e => KeyValuePair.Create(e.Key.Replace("__", ":", StringComparison.Ordinal), e.Value)));
        builder.AddEdgeRuntime();
        using var host = builder.Build();

        var options = host.Services.GetRequiredService<IOptions<EdgeRuntimeOptions>>().Value;
        var hostOptions = host.Services.GetRequiredService<IOptions<HostOptions>>().Value;

        Assert.Equal(120, options.TerminationGracePeriodSeconds);
        Assert.Equal(TimeSpan.FromSeconds(110), options.ShutdownTimeout);
        Assert.Equal(TimeSpan.FromSeconds(100), options.DrainBudget);
        Assert.Equal(3, options.ReadinessDelaySeconds);
        Assert.Equal(TimeSpan.FromSeconds(42), options.TaskTimeout);
        Assert.Equal(3600, options.WallClockLimitSeconds);
        Assert.Equal(600, options.CpuTimeLimitSeconds);
        Assert.Equal(0.75, options.MemoryWarningRatio);
        Assert.Equal(2, options.LimitCheckIntervalSeconds);
        Assert.True(options.RetireOnUnhandledRejection);
        Assert.Equal(TimeSpan.FromSeconds(110), hostOptions.ShutdownTimeout);
    }
}
