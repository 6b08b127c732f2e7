using System.Net;

namespace EdgeStack.Reliability.Tests;

/// <summary>What one request of a load loop came to.</summary>
/// <param name="Target">The app it went to.</param>
/// <param name="Id">The id it carried (an upload id), or empty.</param>
/// <param name="Status">The status code, or null when no answer came (refused or reset connection).</param>
/// <param name="Complete">Whether the answer's body arrived whole and as expected.</param>
/// <param name="Elapsed">How long it took.</param>
/// <param name="Error">Why it failed at the connection level or the body was incomplete.</param>
/// <param name="Dropped">Whether a connection was made and the request sent, but no answer came: reset, ended or hung.</param>
/// <param name="Started">When the request was sent (<see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>).</param>
public sealed record LoadResult(string Target, string Id, HttpStatusCode? Status, bool Complete, TimeSpan Elapsed, string? Error = null, bool Dropped = false, long Started = 0)
{
    /// <summary>Gets whether the app accepted the request: a 2xx answer (then its body must be complete).</summary>
    public bool Accepted => Status is { } s && (int)s is >= 200 and < 300;

    /// <summary>Gets whether the app accepted the request but its answer did not arrive whole.</summary>
    public bool Truncated => Accepted && !Complete;

    /// <summary>Gets whether no answer came at all: the listener was closed or the process gone, or the request was <see cref="Dropped"/>.</summary>
    public bool NoAnswer => Status is null;

    public bool ServerError => Status is { } s && (int)s >= 500;
}
