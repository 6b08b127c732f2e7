using System.Net;

namespace EdgeStack.Runtime.Tests.Internal;

/// <summary>Soft limits retire a real process gracefully: BeforeUnload with the reason, drain, exit 0.</summary>
public sealed class SoftLimitMonitorTests
{
    [Fact]
    public async Task Memory_AllocatingUnderSmallHeapLimit_FiresBeforeUnloadMemoryAndRetires()
    {
        await using var app = await TestApp.StartAsync(
            ("DOTNET_GCHeapHardLimit", "0x6000000"), // 96 MiB
            (SettingKeys.MemoryRatio, "0.6"),
            (SettingKeys.LimitCheckInterval, "0.1"));
        using var pending = await app.PostAsync("/until-unload?ms=300&name=in-flight");

        var beforeUnload = app.WaitForLineAsync(l => l.StartsWith("BEFOREUNLOAD", StringComparison.Ordinal), TestApp.Hang);
        for (var i = 0; i < 40 && !beforeUnload.IsCompleted && !app.HasExited; i++)
        {
            try
            {
                using var allocated = await app.PostAsync("/allocate?mb=4");
                Assert.Equal(HttpStatusCode.OK, allocated.StatusCode);
            }
            catch (HttpRequestException)
            {
                break; // The listener stopped: the instance is retiring.
            }

            await Task.WhenAny(beforeUnload, Task.Delay(150));
        }

        var line = await beforeUnload;
        var exitCode = await app.WaitForExitAsync(TestApp.Hang);

        Assert.StartsWith("BEFOREUNLOAD reason=memory", line, StringComparison.Ordinal);
        Assert.EndsWith(" pending=1", line, StringComparison.Ordinal);
        Assert.Equal(0, exitCode);
        Assert.Contains("TASK-DONE in-flight", app.Output);
        Assert.Contains(app.Logs, l => l.EventId == 8);
    }

    [Fact]
    public async Task Cpu_ProcessorTimeLimitReached_FiresBeforeUnloadCpuAndRetires()
    {
        await using var app = await TestApp.StartAsync((SettingKeys.CpuTime, "3"), (SettingKeys.LimitCheckInterval, "0.1"));
        using var pending = await app.PostAsync("/until-unload?ms=300&name=in-flight");

        var beforeUnload = app.WaitForLineAsync(l => l.StartsWith("BEFOREUNLOAD", StringComparison.Ordinal), TestApp.Hang);
        for (var i = 0; i < 20 && !beforeUnload.IsCompleted && !app.HasExited; i++)
        {
            try
            {
                using var burnt = await app.PostAsync("/burn?ms=500");
            }
            catch (HttpRequestException)
            {
                break; // The listener stopped: the instance is retiring.
            }
        }

        var line = await beforeUnload;
        var exitCode = await app.WaitForExitAsync(TestApp.Hang);

        Assert.StartsWith("BEFOREUNLOAD reason=cpu", line, StringComparison.Ordinal);
        Assert.EndsWith(" pending=1", line, StringComparison.Ordinal);
        Assert.Equal(0, exitCode);
        Assert.Contains("TASK-DONE in-flight", app.Output);
    }

    [Fact]
    public async Task WallClock_LimitReached_FiresBeforeUnloadWallClockAndRetires()
    {
        // The pending task is tracked before Run and ends 300 ms after BeforeUnload: nothing races the 3 s wall clock.
        await using var app = await TestApp.StartAsync(
            waitUntilReady: false,
            (SettingKeys.WallClock, "3"),
            (SettingKeys.LimitCheckInterval, "0.1"),
            ("TESTAPP_TOP_LEVEL_TASK_MS", "300"));

        var exitCode = await app.WaitForExitAsync(TestApp.Hang);

        Assert.Equal(0, exitCode);
        var line = Assert.Single(app.Output, l => l.StartsWith("BEFOREUNLOAD", StringComparison.Ordinal));
        Assert.StartsWith("BEFOREUNLOAD reason=wall_clock", line, StringComparison.Ordinal);
        Assert.EndsWith(" pending=1", line, StringComparison.Ordinal);
        Assert.Contains("TASK-DONE top-level", app.Output);
    }

    [Fact]
    public async Task WallClock_BeforeUnloadHandlerNeverReturns_RetiresAndExitsZeroBeforeGrace()
    {
        await using var app = await TestApp.StartAsync(
            ("TESTAPP_STUCK_BEFOREUNLOAD", "true"),
            (SettingKeys.Grace, "6"),
            (SettingKeys.WallClock, "3"),
            (SettingKeys.LimitCheckInterval, "0.1"));

        await app.WaitForLineAsync(l => l == "STUCK-HANDLER-ENTERED", TestApp.Hang);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var exitCode = await app.WaitForExitAsync(TestApp.Hang);

        Assert.Equal(0, exitCode);
        app.AssertExitedBeforeGrace(clock, TimeSpan.FromSeconds(6));
        Assert.Contains(app.Output, l => l.StartsWith("BEFOREUNLOAD reason=wall_clock", StringComparison.Ordinal));
        var timedOut = Assert.Single(app.Logs, l => l.EventId == 16 && l.Category == "EdgeStack.Runtime");
        Assert.Contains("BeforeUnloadHandlers.NeverReturns", timedOut.Message, StringComparison.Ordinal);
    }
}
