using System.Diagnostics;
using System.Net;
using EdgeStack.Testing;

namespace EdgeStack.Runtime.Tests.Internal;

/// <summary>Background tasks in a real process: never blocking the response, timeouts and faults.</summary>
public sealed class BackgroundTaskTrackerTests
{
    [Fact]
    public async Task WaitUntil_TwoSecondTask_ResponseDoesNotWaitForIt()
    {
        await using var app = await TestApp.StartAsync();
        using var warm = await app.PostAsync("/background?ms=1&name=warm-up");

        var clock = Stopwatch.StartNew();
        using var response = await app.PostAsync("/background?ms=2000&name=slow");
        var answeredIn = clock.Elapsed;
        await app.WaitForLineAsync(l => l == "TASK-DONE slow", TestApp.Hang);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.True(answeredIn < TimeSpan.FromMilliseconds(1000), $"answered in {answeredIn}");
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.9), $"the task ran {clock.Elapsed}, not its full two seconds");
    }

    [Fact]
    public async Task WaitUntil_TaskPastItsTimeout_TokenCancelledAndReportedTimedOut()
    {
        await using var app = await TestApp.StartAsync((SettingKeys.TaskTimeout, "1"));

        using var response = await app.PostAsync("/background?ms=60000&name=overdue");
        await app.WaitForLineAsync(l => l == "TASK-CANCELLED overdue", TestApp.Hang);
        // The task writes its line itself; the tracker's log goes through the logger's queue and can come after it.
        await app.WaitForLogAsync(2, TestApp.Hang);
        using var liveness = await app.GetAsync("/healthz");

        var timedOut = Assert.Single(app.Logs, l => l.EventId == 2);
        Assert.Contains("overdue", timedOut.Raw, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, liveness.StatusCode);
    }

    [Fact]
    public async Task WaitUntil_FaultHandled_RaisesEventOnceAndLogsNoError()
    {
        await using var app = await TestApp.StartAsync();

        using var response = await app.PostAsync("/fault?name=handled-fault");
        await app.WaitForLogAsync(12, TestApp.Hang);

        Assert.Single(app.Output, l => l.StartsWith("REJECTION name=handled-fault handled=True", StringComparison.Ordinal));
        Assert.DoesNotContain(app.Logs, l => l.EventId == 1 || l.LogLevel == "Error");
    }

    [Fact]
    public async Task WaitUntil_FaultUnhandled_OneErrorLogAndInstanceStillServes()
    {
        await using var app = await TestApp.StartAsync();

        using var response = await app.PostAsync("/fault?name=unhandled-fault");
        await app.WaitForLogAsync(1, TestApp.Hang);
        using var readiness = await app.GetAsync("/readyz");
        using var next = await app.PostAsync("/background?ms=1&name=after-fault");
        await app.WaitForLineAsync(l => l == "TASK-DONE after-fault", TestApp.Hang);

        Assert.Single(app.Output, l => l.StartsWith("REJECTION name=unhandled-fault handled=False", StringComparison.Ordinal));
        var error = Assert.Single(app.Logs, l => l.LogLevel == "Error");
        Assert.Equal(1, error.EventId);
        Assert.Equal(HttpStatusCode.OK, readiness.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, next.StatusCode);
    }

    [Fact]
    public async Task WaitUntil_FaultAwaitedAndCaughtByCaller_NoRejectionAndNoRetire()
    {
        await using var app = await TestApp.StartAsync(("EdgeRuntime__RetireOnUnhandledRejection", "true"));

        using var response = await app.PostAsync("/fault-awaited?name=awaited-fault");
        // The fault is reported once, as observed by its caller (17) or, had the caller not awaited it, as failed (1).
        var reported = LogLine.TryParse(await app.WaitForLineAsync(l => LogLine.TryParse(l) is { EventId: 17 or 1, Category: "EdgeStack.Runtime" }, TestApp.Hang))!;
        using var readiness = await app.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("boom", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(17, reported.EventId);
        Assert.Contains("awaited-fault", reported.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, readiness.StatusCode);
        Assert.DoesNotContain(app.Output, l => l.StartsWith("REJECTION", StringComparison.Ordinal) || l.StartsWith("BEFOREUNLOAD", StringComparison.Ordinal));
        Assert.DoesNotContain(app.Logs, l => l.LogLevel == "Error");
        Assert.False(app.HasExited);
    }

    [Fact]
    public async Task WaitUntil_FaultNobodyHandlesWithRetireOn_RetiresWithEarlyDropAndExitsZero()
    {
        await using var app = await TestApp.StartAsync(("EdgeRuntime__RetireOnUnhandledRejection", "true"));

        using var response = await app.PostAsync("/fault?name=loose-fault");
        var exitCode = await app.WaitForExitAsync(TestApp.Hang);

        Assert.Equal(0, exitCode);
        Assert.Single(app.Output, l => l.StartsWith("REJECTION name=loose-fault handled=False", StringComparison.Ordinal));
        Assert.Single(app.Output, l => l.StartsWith("BEFOREUNLOAD reason=early_drop", StringComparison.Ordinal));
        Assert.Single(app.Logs, l => l.EventId == 1 && l.Category == "EdgeStack.Runtime");
        Assert.Single(app.Logs, l => l.EventId == 11 && l.Category == "EdgeStack.Runtime");
    }
}
