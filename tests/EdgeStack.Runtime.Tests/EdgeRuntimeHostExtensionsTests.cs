using EdgeStack.Testing;

namespace EdgeStack.Runtime.Tests;

/// <summary>A scheduled function's run as a real process (tests/EdgeStack.Runtime.JobTestApp): exit codes, SIGTERM, wall_clock.</summary>
public sealed class EdgeRuntimeHostExtensionsTests
{
    private const int JobStarted = 30;
    private const int JobCompleted = 31;
    private const int JobFailed = 32;
    private const int JobInterrupted = 33;
    private const int JobBackgroundFailed = 34;

    [Fact]
    public async Task RunJobAsync_WorkSucceeds_AwaitsWaitUntilWorkAndExitsZero()
    {
        await using var job = await StartAsync(("JOB_BACKGROUND_MS", "1500"));

        var exitCode = await job.WaitForExitAsync(TestApp.Hang);

        Assert.Equal(0, exitCode);
        Assert.Contains("TASK-DONE background", job.Output);
        Assert.Contains(job.Logs, l => l.EventId == JobCompleted);
        Assert.DoesNotContain(job.Output, l => l.StartsWith("BEFOREUNLOAD", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunJobAsync_WorkThrows_ExitsNonZero()
    {
        await using var job = await StartAsync(("JOB_THROW", "1"));

        var exitCode = await job.WaitForExitAsync(TestApp.Hang);

        Assert.Equal(1, exitCode);
        Assert.Contains(job.Logs, l => l.EventId == JobFailed && l.Raw.Contains("work boom", StringComparison.Ordinal));
        Assert.DoesNotContain(job.Logs, l => l.EventId == JobCompleted);
    }

    [Fact]
    public async Task RunJobAsync_WaitUntilWorkFaults_ExitsNonZero()
    {
        await using var job = await StartAsync(("JOB_BACKGROUND_FAULT", "1"));

        var exitCode = await job.WaitForExitAsync(TestApp.Hang);

        Assert.Equal(1, exitCode);
        Assert.Contains(job.Logs, l => l.EventId == JobBackgroundFailed);
        Assert.Contains("JOB-WORK-DONE", job.Output);
    }

    [Fact]
    public async Task RunJobAsync_SigTermDuringWork_RaisesBeforeUnloadTerminationCancelsTheWorkAndExitsNonZero()
    {
        await using var job = await StartAsync(("JOB_WORK_MS", "60000"));
        await job.WaitForLineAsync(l => l == "JOB-WORK-STARTED", TestApp.Hang);

        job.Signal(FunctionProcess.SigTerm);
        var exitCode = await job.WaitForExitAsync(TestApp.Hang);

        Assert.Equal(1, exitCode);
        Assert.Contains(job.Output, l => l.StartsWith("BEFOREUNLOAD reason=termination", StringComparison.Ordinal));
        Assert.Contains("JOB-WORK-CANCELLED", job.Output);
        Assert.Contains(job.Logs, l => l.EventId == JobInterrupted);
    }

    [Fact]
    public async Task RunJobAsync_SigTermWhileWaitUntilWorkRuns_DrainsItAndExitsZero()
    {
        // The background work ends half a second after BeforeUnload: still running when SIGTERM arrives, however late.
        await using var job = await StartAsync(("JOB_BACKGROUND_AFTER_UNLOAD_MS", "500"), (SettingKeys.Grace, "10"));
        await job.WaitForLineAsync(l => l == "JOB-WORK-DONE", TestApp.Hang);

        job.Signal(FunctionProcess.SigTerm);
        var exitCode = await job.WaitForExitAsync(TestApp.Hang);

        Assert.Equal(0, exitCode);
        Assert.Contains(job.Output, l => l.StartsWith("BEFOREUNLOAD reason=termination", StringComparison.Ordinal));
        Assert.Contains("TASK-DONE background", job.Output);
        Assert.Contains(job.Logs, l => l.EventId == JobCompleted);
    }

    [Fact]
    public async Task RunJobAsync_WorkIgnoresItsTokenPastTheDrainBudget_IsAbandonedAndExitsNonZero()
    {
        await using var job = await StartAsync(("JOB_WORK_MS", "60000"), ("JOB_IGNORE_TOKEN", "1"), (SettingKeys.Grace, "4"));
        await job.WaitForLineAsync(l => l == "JOB-WORK-STARTED", TestApp.Hang);

        job.Signal(FunctionProcess.SigTerm);
        var exitCode = await job.WaitForExitAsync(TestApp.Hang);

        Assert.Equal(1, exitCode);
        Assert.Contains(job.Logs, l => l.EventId == JobInterrupted);
        Assert.DoesNotContain("JOB-WORK-DONE", job.Output);
    }

    [Fact]
    public async Task RunJobAsync_NearTheReplicaTimeout_RaisesBeforeUnloadWallClockAndExitsNonZero()
    {
        // Grace 3 s, replica timeout 5 s: wall_clock fires 2 s into the run, a grace period before the platform's stop.
        await using var job = await StartAsync(("JOB_WORK_MS", "60000"), (SettingKeys.Grace, "3"), (SettingKeys.ReplicaTimeout, "5"), (SettingKeys.LimitCheckInterval, "0.1"));

        var exitCode = await job.WaitForExitAsync(TestApp.Hang);

        Assert.Equal(1, exitCode);
        Assert.Contains(job.Output, l => l.StartsWith("BEFOREUNLOAD reason=wall_clock", StringComparison.Ordinal));
        Assert.Contains("JOB-WORK-CANCELLED", job.Output);
        Assert.Contains(job.Logs, l => l.EventId == JobInterrupted && l.Raw.Contains("wall_clock", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunJobAsync_Starts_LogsTheRunStart()
    {
        await using var job = await StartAsync();

        var started = await job.WaitForLogAsync(JobStarted, TestApp.Hang);
        var exitCode = await job.WaitForExitAsync(TestApp.Hang);

        Assert.Equal("EdgeStack.Runtime", started.Category);
        Assert.Equal(0, exitCode);
    }

    private static Task<FunctionProcess> StartAsync(params (string Key, string Value)[] settings) =>
        FunctionProcess.StartAsync(
            TestPaths.AppAssembly("EdgeStack.Runtime.JobTestApp"),
            settings.ToDictionary(s => s.Key, s => (string?)s.Value),
            waitUntilReady: false);
}
