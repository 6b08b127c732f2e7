namespace EdgeStack.Functions.ScheduledFunction;

/// <summary>One run's work. Declare the storage it uses in edgestack.json; the stack creates it and grants access.</summary>
internal sealed class Job(TimeProvider time, ILogger<Job> logger)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // The token fires on SIGTERM and shortly before the replica timeout (wall_clock): stop cleanly, the run is retried.
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        Log.RunFinished(logger, time.GetUtcNow());
    }
}
