namespace EdgeStack.Runtime;

/// <summary>Runs one kind of durable work; the same handler runs in the function that scheduled it and in the worker, so it must be idempotent.</summary>
public interface IDurableWorkHandler
{
    /// <summary>Runs the work item.</summary>
    /// <param name="item">The work item.</param>
    /// <param name="cancellationToken">Fires at the task timeout or when drain abandons the work.</param>
    /// <returns>A task that completes when the work is done.</returns>
    Task ExecuteAsync(DurableWorkItem item, CancellationToken cancellationToken);
}
