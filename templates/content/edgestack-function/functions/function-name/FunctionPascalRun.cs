using System.Globalization;
using EdgeStack.Runtime;

namespace EdgeStack.Functions.FunctionPascal;

/// <summary>One run of the function-name function: its work, then a follow-up that the run waits for before the process exits.</summary>
internal sealed class FunctionPascalRun(IEdgeRuntime runtime, TimeProvider time, ILogger<FunctionPascalRun> logger)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // Your run's work. The token fires on SIGTERM and shortly before the replica timeout (wall_clock): pass it to
        // every call; a run cut short exits non-zero and is retried.
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();

        // Round-trip format: the JSON logs keep it exact.
        var finishedAt = time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
        Log.RunDone(logger, finishedAt);

        // Work the run's result does not wait for (a report, a notification): the process exits once it has settled,
        // and it failing makes the run fail too.
        _ = runtime.WaitUntil(token => FollowUpAsync(finishedAt, token), "function-name-follow-up");
    }

    private async Task FollowUpAsync(string finishedAt, CancellationToken cancellationToken)
    {
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        Log.FollowUpDone(logger, finishedAt);
    }
}
