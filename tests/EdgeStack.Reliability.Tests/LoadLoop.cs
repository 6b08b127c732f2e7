using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace EdgeStack.Reliability.Tests;

/// <summary>
/// Sends requests from a fixed number of concurrent senders until a count, a duration or a stop signal is reached;
/// every outcome is recorded, and waiters can wait for the n-th accepted request.
/// </summary>
public sealed class LoadLoop
{
    private readonly ConcurrentQueue<LoadResult> _results = new();
    private readonly Lock _gate = new();
    private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];
    private int _accepted;
    private int _next = -1;

    public IReadOnlyCollection<LoadResult> Results => _results.ToArray();

    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>Runs <paramref name="concurrency"/> senders; each calls <paramref name="send"/> with the request's index, at most once per <paramref name="pace"/>.</summary>
    public async Task RunAsync(int concurrency, int maxRequests, TimeSpan maxDuration, Func<int, CancellationToken, Task<LoadResult>> send, CancellationToken stop, TimeSpan pace = default)
    {
        ArgumentNullException.ThrowIfNull(send);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(stop);
        bounded.CancelAfter(maxDuration);
        var token = bounded.Token;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(
            async () =>
            {
                int index;
                while (!token.IsCancellationRequested && (index = Interlocked.Increment(ref _next)) < maxRequests)
                {
                    LoadResult result;
                    var started = Stopwatch.GetTimestamp();
                    try
                    {
                        // A request that has started runs to its answer (or the client's timeout): the stop only ends the loop,
                        // so every request the app saw is counted.
                        result = await send(index, CancellationToken.None);
                    }
                    catch (OperationCanceledException) when (token.IsCancellationRequested)
                    {
                        return;
                    }

                    Record(result);
                    var rest = pace - Stopwatch.GetElapsedTime(started);
                    if (rest > TimeSpan.Zero && !result.NoAnswer)
                    {
                        // A steady rate, not a flood: the load shape of the scenario.
                        try
                        {
                            await Task.Delay(rest, token);
                        }
                        catch (OperationCanceledException)
                        {
                            return;
                        }
                    }

                    if (result.NoAnswer)
                    {
                        // The app is gone or not listening: pace the retries instead of spinning on refused connections.
                        try
                        {
                            await Task.Delay(20, token);
                        }
                        catch (OperationCanceledException)
                        {
                            return;
                        }
                    }
                }
            },
            CancellationToken.None)));
    }

    /// <summary>Completes once <paramref name="count"/> requests have been accepted.</summary>
    public Task WaitForAcceptedAsync(int count, TimeSpan timeout)
    {
        lock (_gate)
        {
            if (_accepted >= count)
            {
                return Task.CompletedTask;
            }

            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, reached));
            return reached.Task.WaitAsync(timeout);
        }
    }

    public void Record(LoadResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        _results.Enqueue(result);
        if (!result.Accepted)
        {
            return;
        }

        List<TaskCompletionSource>? reached = null;
        lock (_gate)
        {
            _accepted++;
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Count <= _accepted)
                {
                    (reached ??= []).Add(_waiters[i].Reached);
                    _waiters.RemoveAt(i);
                }
            }
        }

        reached?.ForEach(r => r.TrySetResult());
    }

    /// <summary>A client for load: its own connection pool, short connect timeout, bounded request time.</summary>
    public static HttpClient CreateClient(Uri baseAddress) => new(new SocketsHttpHandler
    {
        ConnectTimeout = TimeSpan.FromSeconds(5),
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        MaxConnectionsPerServer = 64,
    })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(60),
    };

    /// <summary>Sends one request and classifies the outcome; <paramref name="expectedBody"/> checks a 2xx body arrived whole.</summary>
    public static async Task<LoadResult> SendAsync(
        HttpClient client,
        string target,
        string id,
        HttpMethod method,
        string path,
        string? key,
        string? json,
        Func<string, bool> expectedBody,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(expectedBody);
        var started = Stopwatch.GetTimestamp();
        var clock = Stopwatch.StartNew();
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            // No connection (a closed listener, a dead process) is no answer; a connection that took the request and then
            // ended without an answer dropped a request the app had.
            var dropped = exception.HttpRequestError is not HttpRequestError.ConnectionError;
            return new LoadResult(target, id, null, false, clock.Elapsed, exception.HttpRequestError + ": " + exception.Message, dropped, started);
        }
        catch (TaskCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            return new LoadResult(target, id, null, false, clock.Elapsed, "timed out: " + exception.Message, Dropped: true, Started: started);
        }

        using (response)
        {
            try
            {
                // Not cancelled by the stop signal: an answer that has started must be read to its end.
                var body = await response.Content.ReadAsStringAsync(CancellationToken.None);
                var complete = !response.IsSuccessStatusCode || expectedBody(body);
                return new LoadResult(target, id, response.StatusCode, complete, clock.Elapsed, complete ? null : "unexpected body: " + body);
            }
            catch (Exception exception) when (exception is HttpRequestException or IOException)
            {
                return new LoadResult(target, id, response.StatusCode, false, clock.Elapsed, "body cut short: " + exception.Message);
            }
        }
    }

    public static bool IsSuccess(HttpStatusCode? status) => status is { } s && (int)s is >= 200 and < 300;
}
