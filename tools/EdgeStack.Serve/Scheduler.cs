using Cronos;
using EdgeStack.Blueprint;

namespace EdgeStack.Serve;

/// <summary>Runs each scheduled function on its cron schedule (UTC), one run at a time per function, as its Container Apps Job does in Azure.</summary>
/// <remarks>
/// Self-contained: it is given the functions, how to run one (returning the run's exit code) and a clock. A run that
/// outlasts the next occurrence makes the scheduler skip it: the next run is the first occurrence after the run ends.
/// </remarks>
internal sealed class Scheduler(
    IEnumerable<FunctionDeclaration> functions,
    Func<FunctionDeclaration, CancellationToken, Task<int>> runAsync,
    TextWriter output,
    TimeProvider time)
{
    /// <summary>The longest single wait; a timer cannot wait for a yearly schedule in one go.</summary>
    private static readonly TimeSpan MaxWait = TimeSpan.FromDays(1);

    private readonly List<FunctionDeclaration> _scheduled = [.. functions.Where(f => f.Kind == FunctionKind.Scheduled)];

    /// <summary>Runs every scheduled function on its schedule until <paramref name="cancellationToken"/> fires.</summary>
    /// <returns>A task that completes once every schedule has stopped (a run in progress is stopped through the token).</returns>
    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_scheduled.Select(function => Task.Run(() => ScheduleAsync(function, cancellationToken), CancellationToken.None)));

    private async Task ScheduleAsync(FunctionDeclaration function, CancellationToken cancellationToken)
    {
        var cron = CronExpression.Parse(function.Schedule ?? throw new InvalidOperationException($"{function.Name} is scheduled but has no schedule."), CronFormat.Standard);
        try
        {
            while (true)
            {
                var next = cron.GetNextOccurrence(time.GetUtcNow().UtcDateTime);
                if (next is not { } due)
                {
                    await output.WriteLineAsync($"serve: {function.Name} (\"{function.Schedule}\") has no further run.");
                    return;
                }

                // The wait starts (its timer exists) before the line says when it ends, so whoever reads the line and
                // moves the clock cannot move it between the two and leave the timer waiting for a later time.
                var waiting = WaitUntilAsync(new DateTimeOffset(due, TimeSpan.Zero), cancellationToken);
                await output.WriteLineAsync($"serve: {function.Name} runs next at {due:yyyy-MM-dd HH:mm} UTC (\"{function.Schedule}\").");
                await waiting;
                await output.WriteLineAsync($"serve: {function.Name} run started.");
                try
                {
                    var code = await runAsync(function, cancellationToken);
                    await output.WriteLineAsync($"serve: {function.Name} run exited with code {code}{(code == 0 ? "" : " (in Azure the job retries it)")}.");
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // One run that cannot start (not built, say) must not end the schedule or serve.
                    await output.WriteLineAsync($"serve: {function.Name} run could not start: {exception.Message}");
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // serve is stopping.
        }
    }

    /// <summary>Waits for <paramref name="due"/> by the clock, in slices, reading the clock afresh before each one.</summary>
    private async Task WaitUntilAsync(DateTimeOffset due, CancellationToken cancellationToken)
    {
        for (var left = due - time.GetUtcNow(); left > TimeSpan.Zero; left = due - time.GetUtcNow())
        {
            await Task.Delay(left < MaxWait ? left : MaxWait, time, cancellationToken);
        }
    }
}
