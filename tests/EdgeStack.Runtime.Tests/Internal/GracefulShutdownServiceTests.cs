using System.Diagnostics;
using System.Net;
using EdgeStack.Testing;

namespace EdgeStack.Runtime.Tests.Internal;

/// <summary>The SIGTERM sequence, on a real process with a real signal.</summary>
public sealed class GracefulShutdownServiceTests
{
    [Fact]
    public async Task Sigterm_NoPendingTasks_ExitsZeroPromptly()
    {
        await using var app = await TestApp.StartAsync();

        var clock = Stopwatch.StartNew();
        app.Signal(FunctionProcess.SigTerm);
        var exitCode = await app.WaitForExitAsync(TestApp.Hang);

        Assert.Equal(0, exitCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"exit took {clock.Elapsed}");
        await app.WaitForLineAsync(l => l.StartsWith("BEFOREUNLOAD reason=termination", StringComparison.Ordinal), TestApp.Hang);
    }

    [Fact]
    public async Task Sigterm_PendingTwoSecondTask_TaskCompletesThenExitsZero()
    {
        await using var app = await TestApp.StartAsync();
        using var accepted = await app.PostAsync("/background?ms=2000&name=pending");

        var clock = Stopwatch.StartNew();
        app.Signal(FunctionProcess.SigTerm);
        await app.WaitForLineAsync(l => l == "TASK-DONE pending", TestApp.Hang);
        var doneAt = clock.Elapsed;
        var exitCode = await app.WaitForExitAsync(TestApp.Hang);
        var exitAt = clock.Elapsed;

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(0, exitCode);
        Assert.Contains(app.Output, l => l.StartsWith("BEFOREUNLOAD reason=termination", StringComparison.Ordinal));
        Assert.True(exitAt - doneAt < TimeSpan.FromSeconds(2), $"exited {exitAt - doneAt} after the last task settled");
        Assert.True(exitAt < TimeSpan.FromSeconds(15), $"exit took {exitAt}, the grace period is 30 s");
    }

    [Fact]
    public async Task Sigterm_TaskLongerThanDrainBudget_IsCancelledAbandonedAndExitsBeforeGrace()
    {
        // Grace 6 s derives a shutdown timeout of 5 s and a drain budget of 4 s.
        await using var app = await TestApp.StartAsync((SettingKeys.Grace, "6"));
        using var accepted = await app.PostAsync("/background?ms=60000&name=too-long");

        var clock = Stopwatch.StartNew();
        app.Signal(FunctionProcess.SigTerm);
        await app.WaitForLineAsync(l => l == "TASK-CANCELLED too-long", TestApp.Hang);
        var exitCode = await app.WaitForExitAsync(TestApp.Hang);

        Assert.Equal(0, exitCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(6), $"exit took {clock.Elapsed}, the grace period is 6 s");
        var abandoned = Assert.Single(app.Logs, l => l.EventId == 3);
        Assert.Contains("too-long", abandoned.Raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sigterm_TopLevelWaitUntilBeforeRun_HoldsTheDrain()
    {
        await using var app = await TestApp.StartAsync(("TESTAPP_WARMUP_MS", "2500"));

        app.Signal(FunctionProcess.SigTerm);
        var exitCode = await app.WaitForExitAsync(TestApp.Hang);

        Assert.Equal(0, exitCode);
        Assert.Contains("TASK-DONE warmup", app.Output);
    }

    [Fact]
    public async Task Sigterm_DuringDrain_ReadinessIs503WhileInFlightRequestCompletes()
    {
        await using var app = await TestApp.StartAsync((SettingKeys.ReadinessDelay, "2"));
        var slow = app.GetAsync("/slow?ms=1500");
        await app.WaitForLineAsync(l => l == "SLOW-START", TestApp.Hang);

        app.Signal(FunctionProcess.SigTerm);
        await app.WaitForLineAsync(l => l.StartsWith("BEFOREUNLOAD", StringComparison.Ordinal), TestApp.Hang);
        using var readiness = await app.GetAsync("/readyz");
        using var liveness = await app.GetAsync("/healthz");
        using var slowResponse = await slow;
        var exitCode = await app.WaitForExitAsync(TestApp.Hang);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, readiness.StatusCode);
        Assert.Equal(HttpStatusCode.OK, liveness.StatusCode);
        Assert.Equal(HttpStatusCode.OK, slowResponse.StatusCode);
        Assert.Equal("slow done", await slowResponse.Content.ReadAsStringAsync());
        Assert.Equal(0, exitCode);
    }

    [Fact]
    public async Task Start_DrainBudgetNotBelowGrace_FailsNamingTheSettings()
    {
        await using var app = await TestApp.StartAsync(waitUntilReady: false, (SettingKeys.Grace, "10"), (SettingKeys.DrainBudget, "12"));

        var exitCode = await app.WaitForExitAsync(TestApp.Hang);

        Assert.NotEqual(0, exitCode);
        var output = string.Join('\n', app.Output);
        Assert.Contains("EdgeRuntime:DrainBudgetSeconds (12)", output, StringComparison.Ordinal);
        Assert.Contains("EdgeRuntime:TerminationGracePeriodSeconds (10)", output, StringComparison.Ordinal);
    }
}
