using System.Diagnostics;
using System.Globalization;
using EdgeStack.Runtime;

namespace EdgeStack.Bench.Apps;

/// <summary>
/// Starts <c>count</c> background tasks that each wait <see cref="TaskMilliseconds"/> (as row 3's <c>delay</c> does), tracked by
/// <c>EdgeRuntime.WaitUntil</c> or untracked by <c>Task.Run</c>, and answers with the managed heap and RSS they hold while pending.
/// </summary>
internal static class PendingMemory
{
    /// <summary>Long enough that every task is still pending when the heap is measured, short enough that drain ends soon after.</summary>
    public const int TaskMilliseconds = 5000;

    public static async Task<IResult> MeasureAsync(int count, string how)
    {
        if (count <= 0 || how is not ("waituntil" or "taskrun"))
        {
            return Results.Problem($"count must be > 0 (got {count}) and how 'waituntil' or 'taskrun' (got '{how}').", statusCode: StatusCodes.Status400BadRequest);
        }

        var (heapBefore, rssBefore) = Settle();
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            if (how == "waituntil")
            {
                _ = EdgeRuntime.WaitUntil(static cancellationToken => Task.Delay(TaskMilliseconds, cancellationToken));
            }
            else
            {
                _ = Task.Run(static () => Task.Delay(TaskMilliseconds));
            }
        }

        // Every work item must have run (its Task.Delay exists) before the heap is read.
        while (ThreadPool.PendingWorkItemCount > 0)
        {
            await Task.Delay(10);
        }

        var (heapAfter, rssAfter) = Settle();
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (elapsed >= TimeSpan.FromMilliseconds(TaskMilliseconds))
        {
            return Results.Problem($"Starting {count} tasks took {elapsed.TotalMilliseconds:0} ms: some had finished before the heap was read.", statusCode: StatusCodes.Status500InternalServerError);
        }

        return Results.Text(string.Create(CultureInfo.InvariantCulture, $"heap {(heapAfter - heapBefore) / (double)count:0.0} rss {(rssAfter - rssBefore) / (double)count:0.0}"));
    }

    private static (long Heap, long Rss) Settle()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return (GC.GetTotalMemory(forceFullCollection: false), Environment.WorkingSet);
    }
}
