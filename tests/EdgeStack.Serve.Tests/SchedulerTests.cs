using EdgeStack.Blueprint;
using Microsoft.Extensions.Time.Testing;

namespace EdgeStack.Serve.Tests;

/// <summary>The scheduler against a fake clock: when it starts a run, what it reports, and that it stops.</summary>
public sealed class SchedulerTests
{
    private static readonly TimeSpan s_hang = TimeSpan.FromSeconds(30);

    private static readonly IReadOnlyList<FunctionDeclaration> Functions = FunctionManifest.Parse(
        [
            ("every-five", """{"kind":"scheduled","schedule":"*/5 * * * *"}"""),
            ("web", """{"kind":"http"}"""),
        ],
        _ => true);

    [Fact]
    public async Task RunAsync_NextOccurrence_StartsTheRunThenAndNotBefore()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 12, 1, 0, TimeSpan.Zero));
        var output = new SignallingWriter();
        var ran = new TaskCompletionSource<(string Name, DateTimeOffset At)>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();
        var scheduler = new Scheduler(Functions, (f, _) => { ran.TrySetResult((f.Name, time.GetUtcNow())); return Task.FromResult(0); }, output, time);

        var schedules = scheduler.RunAsync(stop.Token);
        await output.WaitForAsync("every-five runs next at 2026-11-29 12:05 UTC", s_hang);
        time.Advance(TimeSpan.FromMinutes(3));
        time.Advance(TimeSpan.FromMinutes(1));
        var run = await ran.Task.WaitAsync(s_hang);
        await stop.CancelAsync();
        await schedules.WaitAsync(s_hang);

        Assert.Equal(("every-five", new DateTimeOffset(2026, 11, 29, 12, 5, 0, TimeSpan.Zero)), run);
    }

    [Fact]
    public async Task RunAsync_RunExits_ReportsItsExitCodeAndSchedulesTheNext()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 12, 4, 0, TimeSpan.Zero));
        var output = new SignallingWriter();
        using var stop = new CancellationTokenSource();
        var scheduler = new Scheduler(Functions, (_, _) => Task.FromResult(3), output, time);

        var schedules = scheduler.RunAsync(stop.Token);
        await output.WaitForAsync("every-five runs next at 2026-11-29 12:05 UTC", s_hang);
        time.Advance(TimeSpan.FromMinutes(1));
        await output.WaitForAsync("every-five run exited with code 3", s_hang);
        await output.WaitForAsync("every-five runs next at 2026-11-29 12:10 UTC", s_hang);
        await stop.CancelAsync();
        await schedules.WaitAsync(s_hang);

        Assert.DoesNotContain(output.Lines, l => l.Contains("web", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_Stopped_CancelsTheRunInProgress()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 12, 4, 59, TimeSpan.Zero));
        var output = new SignallingWriter();
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();
        var scheduler = new Scheduler(
            Functions,
            async (_, ct) =>
            {
                ct.Register(() => cancelled.TrySetResult());
                await Task.Delay(Timeout.Infinite, ct);
                return 0;
            },
            output,
            time);

        var schedules = scheduler.RunAsync(stop.Token);
        await output.WaitForAsync("every-five runs next", s_hang);
        time.Advance(TimeSpan.FromSeconds(1));
        await output.WaitForAsync("every-five run started", s_hang);
        await stop.CancelAsync();

        await cancelled.Task.WaitAsync(s_hang);
        await schedules.WaitAsync(s_hang);
    }

    /// <summary>A writer tests can wait on for a line, without polling.</summary>
    private sealed class SignallingWriter : StringWriter
    {
        private readonly Lock _gate = new();
        private readonly List<string> _lines = [];
        private readonly List<(string Text, TaskCompletionSource Seen)> _waiters = [];

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_gate)
                {
                    return [.. _lines];
                }
            }
        }

        public override void WriteLine(string? value)
        {
            lock (_gate)
            {
                _lines.Add(value ?? "");
                foreach (var waiter in _waiters.Where(w => value?.Contains(w.Text, StringComparison.Ordinal) == true).ToList())
                {
                    waiter.Seen.TrySetResult();
                    _waiters.Remove(waiter);
                }
            }
        }

        public override Task WriteLineAsync(string? value)
        {
            WriteLine(value);
            return Task.CompletedTask;
        }

        public Task WaitForAsync(string text, TimeSpan timeout)
        {
            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_gate)
            {
                if (_lines.Any(l => l.Contains(text, StringComparison.Ordinal)))
                {
                    return Task.CompletedTask;
                }

                _waiters.Add((text, seen));
            }

            return seen.Task.WaitAsync(timeout);
        }
    }
}
