using EdgeStack.Runtime.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EdgeStack.Runtime;

/// <summary>Runs a scheduled function: one process, one run of its work, then exit.</summary>
public static class EdgeRuntimeHostExtensions
{
    /// <summary>Starts the host, runs the job's work once in a scope of its own, waits for its <c>WaitUntil</c> work, stops the host and returns the process's exit code.</summary>
    /// <param name="host">A host built with <see cref="EdgeRuntimeHostApplicationBuilderExtensions.AddEdgeRuntime"/>.</param>
    /// <param name="work">The run's work, given the scope's services and a token that fires when the run is stopped (SIGTERM, or <c>wall_clock</c> before the replica timeout).</param>
    /// <param name="cancellationToken">Stops the run, like SIGTERM.</param>
    /// <returns>
    /// 0 when the work returned and every background task settled without an unhandled fault; 1 when the work threw,
    /// a background task faulted with no UnhandledRejection handler handling it, or a stop cut the run short. A
    /// non-zero code makes the platform retry the run, so a job's work is idempotent.
    /// </returns>
    /// <remarks>
    /// On a stop, <see cref="EdgeRuntime.BeforeUnload"/> fires with the reason, the work's token is cancelled and the
    /// drain runs as in any function: the work and the background tasks get the drain budget to settle.
    /// </remarks>
    public static Task<int> RunJobAsync(this IHost host, Func<IServiceProvider, CancellationToken, Task> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(work);
        var runtime = host.Services.GetService<DefaultEdgeRuntime>()
            ?? throw new InvalidOperationException("RunJobAsync needs the EdgeStack runtime: call builder.AddEdgeRuntime() before Build().");
        return new JobRunner(host, runtime).RunAsync(work, cancellationToken);
    }
}
