using System.Diagnostics;
using System.Net;
using EdgeStack.Testing;

namespace EdgeStack.Runtime.Tests.Internal;

/// <summary>The SIGTERM sequence, on a real process with a real signal.</summary>
public sealed class GracefulShutdownServiceTests
{
    // The app's timers count whole ticks of a coarse monotonic clock (Environment.TickCount64), so a 4 s timer may fire
    // a fraction of a millisecond to a few ms before 4 s of this test's Stopwatch (CI saw 3.9994 s). "Not before the
    // budget" allows that much, and still fails for a token cancelled at SIGTERM.
    private static readonly TimeSpan s_timerResolution = TimeSpan.FromMilliseconds(10);

    [Fact]
    public async Task Sigterm_WhileTheHostIsStillStarting_ExitsZeroNotAnAbort()
    {
        // The platform may stop a replica it just started: the cancelled start must not crash the process (134/139).
        await using var app = await TestApp.StartAsync(waitUntilReady: false, ("TESTAPP_SLOW_START_MS", "60000"));
        await app.WaitForLineAsync(l => l.Contains("SLOWSTART begun", StringComparison.Ordinal), TestApp.Hang);

        app.Signal(FunctionProcess.SigTerm);
        var exitCode = await app.WaitForExitAsync(TestApp.Hang);

        Assert.Equal(0, exitCode);
        Assert.Contains(app.Output, l => LogLine.TryParse(l) is { EventId: 19, Category: "EdgeStack.Runtime" });
    }

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
    public async Task Sigterm_TaskLongerThanDrainBudget_IsCancelledAtTheBudgetAbandonedAndExitsBeforeGrace()
    {
        // Grace 6 s derives a shutdown timeout of 5 s and a drain budget of 4 s.
        await using var app = await TestApp.StartAsync((SettingKeys.Grace, "6"));
        using var accepted = await app.PostAsync("/background?ms=60000&name=too-long");

        var clock = Stopwatch.StartNew();
        app.Signal(FunctionProcess.SigTerm);
        await app.WaitForLineAsync(l => l == "TASK-CANCELLED too-long", TestApp.Hang);
        var cancelledAt = clock.Elapsed;
        var exitCode = await app.WaitForExitAsync(TestApp.Hang);

        Assert.Equal(0, exitCode);
        Assert.True(cancelledAt >= TimeSpan.FromSeconds(4) - s_timerResolution, $"the token fired {cancelledAt} after SIGTERM, before the 4 s drain budget");
        app.AssertExitedBeforeGrace(clock, TimeSpan.FromSeconds(6));
        var abandoned = Assert.Single(app.Logs, l => l.EventId == 3);
        Assert.Contains("too-long", abandoned.Raw, StringComparison.Ordinal);
        var beforeUnload = Assert.Single(app.Output, l => l.StartsWith("BEFOREUNLOAD", StringComparison.Ordinal));
        var timeLeftMs = long.Parse(beforeUnload.Split(' ').Single(p => p.StartsWith("timeLeftMs=", StringComparison.Ordinal))["timeLeftMs=".Length..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(timeLeftMs, 3000, 4000);
    }

    [Fact]
    public async Task Sigterm_GracePeriodOfTwoSeconds_DrainsAndExitsZeroBeforeIt()
    {
        // The smallest grace periods derive a chain too: 2 s → shutdown 1.5 s → drain 1 s.
        await using var app = await TestApp.StartAsync((SettingKeys.Grace, "2"));
        using var accepted = await app.PostAsync("/stubborn?ms=60000&name=stubborn-2");

        var clock = Stopwatch.StartNew();
        app.Signal(FunctionProcess.SigTerm);
        var exitCode = await app.WaitForExitAsync(TestApp.Hang);

        Assert.Equal(0, exitCode);
        app.AssertExitedBeforeGrace(clock, TimeSpan.FromSeconds(2));
        var drained = Assert.Single(app.Logs, l => l.EventId == 5 && l.Category == "EdgeStack.Runtime");
        Assert.Equal(1, drained.State("LostTasks").GetInt32());
    }

    [Fact]
    public async Task Sigterm_TaskIgnoresItsToken_IsAbandonedByNameAndExitsZeroBeforeGrace()
    {
        await using var app = await TestApp.StartAsync((SettingKeys.Grace, "6"));
        using var accepted = await app.PostAsync("/stubborn?ms=120000&name=stubborn-1");

        var clock = Stopwatch.StartNew();
        app.Signal(FunctionProcess.SigTerm);
        var exitCode = await app.WaitForExitAsync(TestApp.Hang);

        Assert.Equal(0, exitCode);
        app.AssertExitedBeforeGrace(clock, TimeSpan.FromSeconds(6));
        var abandoned = Assert.Single(app.Logs, l => l.EventId == 3 && l.Category == "EdgeStack.Runtime");
        Assert.Contains("stubborn-1", abandoned.Message, StringComparison.Ordinal);
        var drained = Assert.Single(app.Logs, l => l.EventId == 5 && l.Category == "EdgeStack.Runtime");
        Assert.Equal(1, drained.State("LostTasks").GetInt32());
        Assert.Equal(0, drained.State("HandedOffTasks").GetInt32());
        Assert.DoesNotContain("TASK-DONE stubborn-1", app.Output);
    }

    [Fact]
    public async Task Sigterm_TopLevelWaitUntilBeforeRun_HoldsTheDrain()
    {
        // The top-level task ends half a second after BeforeUnload: still running when SIGTERM arrives, however late.
        await using var app = await TestApp.StartAsync(("TESTAPP_TOP_LEVEL_TASK_MS", "500"));

        app.Signal(FunctionProcess.SigTerm);
        var exitCode = await app.WaitForExitAsync(TestApp.Hang);

        Assert.Equal(0, exitCode);
        Assert.Contains(app.Output, l => l.StartsWith("BEFOREUNLOAD reason=termination", StringComparison.Ordinal) && l.EndsWith(" pending=1", StringComparison.Ordinal));
        Assert.Contains("TASK-DONE top-level", app.Output);
    }

    [Fact]
    public async Task Sigterm_BeforeUnloadHandlerNeverReturns_StopGoesOnAndExitsZeroBeforeGrace()
    {
        // Grace 6 s: a drain budget of 4 s, which the stuck handler takes; the readiness delay keeps the listener open
        // for 3 s of it, time enough on a loaded machine to see the handler start and ask for readiness.
        await using var app = await TestApp.StartAsync(
            ("TESTAPP_STUCK_BEFOREUNLOAD", "true"),
            (SettingKeys.Grace, "6"),
            (SettingKeys.ReadinessDelay, "3"));
        using var accepted = await app.PostAsync("/until-unload?ms=500&name=after-unload");

        var clock = Stopwatch.StartNew();
        app.Signal(FunctionProcess.SigTerm);
        await app.WaitForLineAsync(l => l == "STUCK-HANDLER-ENTERED", TestApp.Hang);
        using var readiness = await app.GetAsync("/readyz");
        var exitCode = await app.WaitForExitAsync(TestApp.Hang);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, readiness.StatusCode);
        Assert.Equal(0, exitCode);
        app.AssertExitedBeforeGrace(clock, TimeSpan.FromSeconds(6));
        Assert.Contains("TASK-DONE after-unload", app.Output);
        var timedOut = Assert.Single(app.Logs, l => l.EventId == 16 && l.Category == "EdgeStack.Runtime");
        Assert.Contains("BeforeUnloadHandlers.NeverReturns", timedOut.Message, StringComparison.Ordinal);
        Assert.Single(app.Logs, l => l.EventId == 5 && l.Category == "EdgeStack.Runtime");
    }

    [Fact]
    public async Task Sigterm_InFlightRequestIgnoresCancellation_ExitsZeroBeforeGrace()
    {
        await using var app = await TestApp.StartAsync((SettingKeys.Grace, "6"));
        var burning = app.PostAsync("/burn?ms=120000");
        await app.WaitForLineAsync(l => l == "BURN-START", TestApp.Hang);

        var clock = Stopwatch.StartNew();
        app.Signal(FunctionProcess.SigTerm);
        var exitCode = await app.WaitForExitAsync(TestApp.Hang);

        Assert.Equal(0, exitCode);
        app.AssertExitedBeforeGrace(clock, TimeSpan.FromSeconds(6));
        await Assert.ThrowsAnyAsync<Exception>(() => burning);
    }

    [Fact]
    public async Task Sigterm_WithReadinessDelay_ListenerAcceptsUntilTheDelayEndsThenCloses()
    {
        await using var app = await TestApp.StartAsync((SettingKeys.Grace, "10"), (SettingKeys.ReadinessDelay, "3"));

        var clock = Stopwatch.StartNew();
        app.Signal(FunctionProcess.SigTerm);
        // Each probe on a connection of its own, from the signal on: a 503 is a new connection accepted after readiness turned off.
        var duringDelay = await NewConnectionGetAsync(app, "/readyz");
        while (duringDelay?.StatusCode == HttpStatusCode.OK && clock.Elapsed < TestApp.Hang)
        {
            duringDelay.Dispose();
            duringDelay = await NewConnectionGetAsync(app, "/readyz");
        }

        await Poll.UntilAsync(
            async () =>
            {
                using var response = await NewConnectionGetAsync(app, "/healthz");
                return response is null;
            },
            TestApp.Hang,
            "the listener to close");
        var refusedAt = clock.Elapsed;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, duringDelay?.StatusCode);
        Assert.True(refusedAt >= TimeSpan.FromSeconds(3) - s_timerResolution, $"the listener closed {refusedAt} after SIGTERM, before the 3 s readiness delay");
        Assert.Equal(0, await app.WaitForExitAsync(TestApp.Hang));
        duringDelay?.Dispose();
    }

    /// <summary>GETs over a connection of its own (not the pooled keep-alive one); null when the connection is refused or cut.</summary>
    private static async Task<HttpResponseMessage?> NewConnectionGetAsync(FunctionProcess app, string path)
    {
        using var client = new HttpClient { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        client.DefaultRequestHeaders.ConnectionClose = true;
        try
        {
            return await client.GetAsync(new Uri(path, UriKind.Relative));
        }
        catch (HttpRequestException)
        {
            return null;
        }
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
