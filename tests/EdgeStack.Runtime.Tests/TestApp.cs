using System.Diagnostics;
using EdgeStack.Testing;

namespace EdgeStack.Runtime.Tests;

/// <summary>Starts tests/EdgeStack.Runtime.TestApp as a real process.</summary>
internal static class TestApp
{
    public static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    /// <summary>How far past the grace period a test's stopwatch may see the exit before it counts as a hang.</summary>
    private static readonly TimeSpan s_hangPastGrace = TimeSpan.FromSeconds(5);

    public static Task<FunctionProcess> StartAsync(params (string Key, string Value)[] settings) =>
        StartAsync(waitUntilReady: true, settings);

    public static Task<FunctionProcess> StartAsync(bool waitUntilReady, params (string Key, string Value)[] settings) =>
        FunctionProcess.StartAsync(
            TestPaths.AppAssembly("EdgeStack.Runtime.TestApp"),
            settings.ToDictionary(s => s.Key, s => (string?)s.Value),
            waitUntilReady);

    public static async Task<HttpResponseMessage> PostAsync(this FunctionProcess app, string pathAndQuery)
    {
        using var content = new StringContent("");
        return await app.Client.PostAsync(new Uri(pathAndQuery, UriKind.Relative), content);
    }

    public static Task<HttpResponseMessage> GetAsync(this FunctionProcess app, string pathAndQuery) =>
        app.Client.GetAsync(new Uri(pathAndQuery, UriKind.Relative));

    /// <summary>
    /// How long the app's stop lasted by its own clock: from its DrainStarted line, logged as the stop begins, to the
    /// last line it logged before it exited. Unlike a test's stopwatch, this leaves out how long the test took to send
    /// the signal and to see the exit, which a loaded machine stretches.
    /// </summary>
    public static TimeSpan StopDuration(this FunctionProcess app)
    {
        var logs = app.Logs.Where(l => l.Timestamp is not null).ToList();
        var started = logs.First(l => l.EventId == 4 && l.Category == "EdgeStack.Runtime").Timestamp!.Value;
        return logs.Max(l => l.Timestamp!.Value) - started;
    }

    /// <summary>
    /// Asserts the app exited before the platform's SIGKILL: its stop, on its own clock (<see cref="StopDuration"/>), ended
    /// within <paramref name="grace"/>. <paramref name="sinceSignal"/>, started as the test sent the stop, only catches a hang.
    /// </summary>
    public static void AssertExitedBeforeGrace(this FunctionProcess app, Stopwatch sinceSignal, TimeSpan grace)
    {
        Assert.True(app.HasExited, "the app is still running");
        var stop = app.StopDuration();
        Assert.True(stop < grace, $"the app's stop lasted {stop} by its own clock, the grace period is {grace.TotalSeconds} s");
        Assert.True(sinceSignal.Elapsed < grace + s_hangPastGrace, $"the exit came {sinceSignal.Elapsed} after the stop was asked for, a hang past the grace period of {grace.TotalSeconds} s");
    }
}
