using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeStack.Runtime.Internal;

/// <summary>The runtime service behind <see cref="IEdgeRuntime"/> and the static <see cref="EdgeRuntime"/> façade.</summary>
internal sealed class DefaultEdgeRuntime : IEdgeRuntime, IDisposable
{
    private readonly EdgeRuntimeOptions _options;
    private readonly IServiceProvider _services;
    private readonly IServiceScopeFactory _scopeFactory;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly BackgroundTaskTracker _tracker;
    private readonly CancellationTokenRegistration _stoppingRegistration;
    private readonly CancellationTokenRegistration _startedRegistration;
    private long _stopStarted;
    private int _stopping;
    private int _beforeUnloadRaised;
    private int _unhandledFaults;
    private int _abandonedTasks;
    private volatile bool _started;
    private (string Name, Task Running)[] _beforeUnloadHandlers = [];
    private ITimer? _watchdog;
    private volatile string _stopPhase = "starting the stop";

    public DefaultEdgeRuntime(
        IOptions<EdgeRuntimeOptions> options,
        IServiceProvider services,
        IHostApplicationLifetime lifetime,
        TimeProvider time,
        EdgeRuntimeMetrics metrics,
        ILoggerFactory loggerFactory)
    {
        _options = options.Value;
        _services = services;
        _scopeFactory = services.GetRequiredService<IServiceScopeFactory>();
        _lifetime = lifetime;
        _time = time;
        Metrics = metrics;
        _logger = loggerFactory.CreateLogger(Log.Category);
        _tracker = new BackgroundTaskTracker(time, _options.TaskTimeout, metrics, _logger, OnTaskFaulted);
        _startedRegistration = lifetime.ApplicationStarted.Register(() => _started = true);
        _stoppingRegistration = lifetime.ApplicationStopping.Register(() => BeginStop(ShutdownReason.Termination));
        _hostLifetime = services.GetService<IHostLifetime>();
        AppDomain.CurrentDomain.UnhandledException += OnUnhandledException;
        EdgeRuntime.Attach(this);
    }

    private readonly IHostLifetime? _hostLifetime;

    public event EventHandler<BeforeUnloadEventArgs>? BeforeUnload;

    public event EventHandler<UnhandledRejectionEventArgs>? UnhandledRejection;

    public bool IsReady => _started && Volatile.Read(ref _stopping) == 0;

    public int PendingTaskCount => _tracker.PendingCount;

    internal EdgeRuntimeOptions Options => _options;

    internal EdgeRuntimeMetrics Metrics { get; }

    internal BackgroundTaskTracker Tracker => _tracker;

    internal ILogger Logger => _logger;

    internal ShutdownReason StopReason { get; private set; } = ShutdownReason.Termination;

    /// <summary>Gets how many background tasks faulted with no UnhandledRejection handler handling them.</summary>
    internal int UnhandledFaultCount => Volatile.Read(ref _unhandledFaults);

    /// <summary>Gets how many background tasks the drain abandoned (handed off or not).</summary>
    internal int AbandonedTaskCount => Volatile.Read(ref _abandonedTasks);

    /// <summary>Whether the stop has begun (SIGTERM, a soft limit or <see cref="Retire"/>).</summary>
    internal bool IsStopping => Volatile.Read(ref _stopping) != 0;

    /// <summary>Records what a drain abandoned.</summary>
    internal void RecordAbandoned(int count) => Interlocked.Add(ref _abandonedTasks, count);

    /// <summary>Marks the instance as ending of itself, its work done (a scheduled function's run): nothing cuts it short, so no BeforeUnload.</summary>
    internal void EndWithoutBeforeUnload() => Interlocked.Exchange(ref _beforeUnloadRaised, 1);

    /// <summary>Gets the time left until the drain budget ends, counted from the start of the stop.</summary>
    internal TimeSpan DrainTimeLeft => TimeLeftOf(_options.DrainBudget);

    /// <summary>Gets the time left until the grace period ends and the platform kills the process.</summary>
    internal TimeSpan GraceTimeLeft => TimeLeftOf(TimeSpan.FromSeconds(_options.TerminationGracePeriodSeconds));

    /// <summary>What is left of <paramref name="budget"/>, counted from the start of the stop (all of it before the stop).</summary>
    private TimeSpan TimeLeftOf(TimeSpan budget)
    {
        var started = Volatile.Read(ref _stopStarted);
        var left = started == 0 ? budget : budget - _time.GetElapsedTime(started);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    public Task WaitUntil(Task task, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        return _tracker.Track(task, name);
    }

    public Task WaitUntil(Func<CancellationToken, Task> work, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(work);
        return _tracker.Run(work, name);
    }

    public Task WaitUntilScoped(Func<IServiceProvider, CancellationToken, Task> work, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(work);
        return _tracker.Run(
            async cancellationToken =>
            {
                await using var scope = _scopeFactory.CreateAsyncScope();
                await work(scope.ServiceProvider, cancellationToken);
            },
            name);
    }

    public async Task<Task> WaitUntilDurableAsync(string handler, string payload, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(handler);
        ArgumentNullException.ThrowIfNull(payload);
        var queue = DurableQueue;
        if (_services.GetService<IServiceProviderIsKeyedService>()?.IsKeyedService(typeof(IDurableWorkHandler), handler) != true)
        {
            throw new ArgumentException($"No durable work handler is registered as '{handler}'; register it with AddDurableWorkHandler.", nameof(handler));
        }

        var item = new DurableWorkItem(Guid.NewGuid().ToString("N"), handler, payload);
        var receipt = await queue.EnqueueAsync(item, _options.DurableVisibilityTimeout, cancellationToken);
        return RunDurable(item, receipt);
    }

    public Task RunDurable(DurableWorkItem item, DurableWorkReceipt receipt)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(receipt);
        var queue = DurableQueue;
        return _tracker.Run(
            cancellationToken => ExecuteDurableAsync(queue, item, receipt, cancellationToken),
            item.Handler,
            handOff: cancellationToken => queue.ReleaseAsync(receipt, cancellationToken));
    }

    public void Retire(ShutdownReason reason)
    {
        if (BeginStop(reason))
        {
            Log.Retiring(_logger, reason.ToWireName());
        }

        RaiseBeforeUnload();
        _lifetime.StopApplication();
    }

    /// <summary>Marks the start of the stop: readiness off, the drain budget's clock running. The first caller's reason wins.</summary>
    internal bool BeginStop(ShutdownReason reason)
    {
        if (Interlocked.Exchange(ref _stopping, 1) != 0)
        {
            return false;
        }

        StopReason = reason;
        Volatile.Write(ref _stopStarted, _time.GetTimestamp());
        if (!_started)
        {
            Log.StoppedWhileStarting(_logger, reason.ToWireName());
        }

        // Whatever holds the process (a request that ignores cancellation, a hosted service, a handler), it exits before SIGKILL.
        _watchdog = _time.CreateTimer(static s => ((DefaultEdgeRuntime)s!).OnStopOverran(), this, GraceTimeLeft - _options.ExitMargin, Timeout.InfiniteTimeSpan);
        return true;
    }

    /// <summary>Names the step of the stop under way, for the overrun report.</summary>
    internal void EnterStopPhase(string phase) => _stopPhase = phase;

    private void OnStopOverran()
    {
        Log.StopOverran(_logger, _stopPhase, (long)_time.GetElapsedTime(Volatile.Read(ref _stopStarted)).TotalMilliseconds, _options.TerminationGracePeriodSeconds);
        ExitNow();
    }

    /// <summary>
    /// SIGTERM (or a retire) while the host was still starting cancels the start, and <c>app.Run()</c> throws that
    /// cancellation out of <c>Main</c>: the process would abort (134) for a stop the platform asked for. Nothing has
    /// served yet, so this is a clean stop: exit 0.
    /// </summary>
    /// <remarks>The host is disposed by then (its logs flushed), so this touches none of its services.</remarks>
    private void OnUnhandledException(object sender, UnhandledExceptionEventArgs e)
    {
        if (e.ExceptionObject is OperationCanceledException && Volatile.Read(ref _stopping) == 1 && !_started)
        {
            // The console lifetime's process-exit handler waits up to the shutdown timeout for a host that will never
            // stop it (the start failed): release it first, as OnStopOverran does, so the exit is immediate.
            try
            {
                (_hostLifetime as IDisposable)?.Dispose();
            }
            catch (ObjectDisposedException)
            {
                // Disposed with the host already: nothing waits.
            }

            Environment.Exit(0);
        }
    }

    private void ExitNow()
    {
        // Flush the console (its logger writes from a queue), then let Environment.Exit through: the console lifetime's
        // process-exit handler would otherwise wait for the very host that is stuck.
        foreach (var provider in _services.GetServices<ILoggerProvider>())
        {
            provider.Dispose();
        }

        (_services.GetService<IHostLifetime>() as IDisposable)?.Dispose();
        Environment.Exit(0);
    }

    /// <summary>Raises <see cref="BeforeUnload"/> once per instance.</summary>
    internal void RaiseBeforeUnload()
    {
        if (Interlocked.Exchange(ref _beforeUnloadRaised, 1) != 0)
        {
            return;
        }

        var args = new BeforeUnloadEventArgs(StopReason, DrainTimeLeft);

        // One line per instance, handlers or not: operators (and the reliability tests) see the event fire, and once.
        Log.BeforeUnloadRaised(_logger, args.ReasonName, (long)args.TimeLeft.TotalMilliseconds);
        var handlers = BeforeUnload;
        if (handlers is null)
        {
            return;
        }

        // Each handler on the thread pool: one that never returns holds neither the stop nor the other handlers.
        Volatile.Write(
            ref _beforeUnloadHandlers,
            [.. handlers.GetInvocationList().Cast<EventHandler<BeforeUnloadEventArgs>>().Select(handler => (NameOf(handler), Task.Run(() => InvokeBeforeUnload(handler, args))))]);
    }

    /// <summary>Waits for the BeforeUnload handlers until the drain budget ends, and logs by name each one still running then.</summary>
    internal async Task WaitForBeforeUnloadHandlersAsync()
    {
        var handlers = Volatile.Read(ref _beforeUnloadHandlers);
        try
        {
            await Task.WhenAll(handlers.Select(h => h.Running)).WaitAsync(DrainTimeLeft, _time);
        }
        catch (TimeoutException)
        {
            foreach (var (name, running) in handlers)
            {
                if (!running.IsCompleted)
                {
                    Log.BeforeUnloadHandlerTimedOut(_logger, name, (long)_options.DrainBudget.TotalMilliseconds);
                }
            }
        }
    }

    private void InvokeBeforeUnload(EventHandler<BeforeUnloadEventArgs> handler, BeforeUnloadEventArgs args)
    {
        try
        {
            handler(this, args);
        }
#pragma warning disable CA1031 // A handler's failure must not stop the drain or the other handlers.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Log.BeforeUnloadHandlerFailed(_logger, exception);
        }
    }

    private static string NameOf(Delegate handler) =>
        handler.Method.DeclaringType is { } type ? type.FullName + "." + handler.Method.Name : handler.Method.Name;

    private IDurableWorkQueue DurableQueue => _services.GetService<IDurableWorkQueue>()
        ?? throw new InvalidOperationException("Durable work needs an IDurableWorkQueue service; register one (AddEdgeStackStorage registers the Azure Storage queue).");

    private async Task ExecuteDurableAsync(IDurableWorkQueue queue, DurableWorkItem item, DurableWorkReceipt receipt, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = _scopeFactory.CreateAsyncScope();
            var handler = scope.ServiceProvider.GetRequiredKeyedService<IDurableWorkHandler>(item.Handler);
            await handler.ExecuteAsync(item, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Timed out: the message reappears when its lease ends. Abandoned: the hand-off releases it.
            throw;
        }
        catch (Exception exception)
        {
            try
            {
                await queue.FailAsync(item, receipt, exception.Message, CancellationToken.None);
            }
            catch (Exception failure)
            {
                // Both reach UnhandledRejection; the queue still returns the item when its lease ends.
                throw new AggregateException("Durable work failed, and so did recording the failure on the queue.", exception, failure);
            }

            throw;
        }

        await queue.CompleteAsync(receipt, CancellationToken.None);
    }

    private void OnTaskFaulted(string? name, Exception exception)
    {
        var displayName = name ?? "(unnamed)";
        var args = new UnhandledRejectionEventArgs(exception, name);
        var handlers = UnhandledRejection;
        if (handlers is not null)
        {
            foreach (var handler in handlers.GetInvocationList().Cast<EventHandler<UnhandledRejectionEventArgs>>())
            {
                try
                {
                    handler(this, args);
                }
#pragma warning disable CA1031 // A handler's failure must not hide the task's failure.
                catch (Exception handlerException)
#pragma warning restore CA1031
                {
                    Log.UnhandledRejectionHandlerFailed(_logger, displayName, handlerException);
                }
            }
        }

        if (args.Handled)
        {
            Log.TaskFailureHandled(_logger, displayName);
            return;
        }

        Interlocked.Increment(ref _unhandledFaults);
        Log.TaskFailed(_logger, displayName, exception);
        if (_options.RetireOnUnhandledRejection)
        {
            Retire(ShutdownReason.EarlyDrop);
        }
    }

    public void Dispose()
    {
        _watchdog?.Dispose();
        _startedRegistration.Dispose();
        _stoppingRegistration.Dispose();
        // Stays subscribed: a cancelled start reaches Main's end only after the host, and this runtime, are disposed.
        _tracker.Dispose();
        EdgeRuntime.Detach(this);
    }
}
