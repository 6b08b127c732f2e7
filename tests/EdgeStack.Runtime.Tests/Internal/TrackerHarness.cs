using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using EdgeStack.Runtime.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace EdgeStack.Runtime.Tests.Internal;

/// <summary>
/// A <see cref="BackgroundTaskTracker"/> on a fake clock with the runtime's real metrics, a fake logger, a record of the
/// faults it reports as unhandled, and a <see cref="MeterListener"/> on its own meter factory.
/// </summary>
internal sealed class TrackerHarness : IDisposable
{
    public static readonly TimeSpan Hang = TimeSpan.FromSeconds(10);

    private readonly ServiceProvider _services;
    private readonly MeterListener _listener = new();
    private readonly TaskCompletionSource<(string? Name, Exception Exception)> _firstFault = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TrackerHarness(TimeSpan? timeout = null, FakeTimeProvider? time = null)
    {
        Time = time ?? new FakeTimeProvider();
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meterFactory = _services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, meterFactory))
            {
                Instruments[instrument.Name] = instrument;
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => Measurements.Enqueue((instrument.Name, value)));
        _listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => Measurements.Enqueue((instrument.Name, value)));
        _listener.Start();
        Tracker = new BackgroundTaskTracker(
            Time,
            timeout ?? TimeSpan.FromSeconds(150),
            new EdgeRuntimeMetrics(meterFactory),
            Logger,
            (name, exception) =>
            {
                Faults.Enqueue((name, exception));
                _firstFault.TrySetResult((name, exception));
            });
    }

    public FakeTimeProvider Time { get; }

    public FakeLogger Logger { get; } = new();

    public BackgroundTaskTracker Tracker { get; }

    /// <summary>Gets the faults reported as unhandled (what becomes UnhandledRejection), in order.</summary>
    public ConcurrentQueue<(string? Name, Exception Exception)> Faults { get; } = new();

    public ConcurrentDictionary<string, Instrument> Instruments { get; } = new();

    public ConcurrentQueue<(string Name, double Value)> Measurements { get; } = new();

    /// <summary>Gets a task that completes with the first fault reported as unhandled.</summary>
    public Task<(string? Name, Exception Exception)> FirstFault => _firstFault.Task;

    public double Sum(string instrument) => Measurements.Where(m => m.Name == instrument).Sum(m => m.Value);

    public IReadOnlyList<FakeLogRecord> Events(int eventId) => [.. Logger.Collector.GetSnapshot().Where(r => r.Id.Id == eventId)];

    /// <summary>Starts work that waits for <paramref name="release"/> (or its token) and hands back its token once it runs.</summary>
    public async Task<(Task Visible, CancellationToken Token)> RunAsync(string name, TaskCompletionSource? release = null, Func<CancellationToken, Task>? handOff = null)
    {
        release ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        var visible = Tracker.Run(
            ct =>
            {
                started.TrySetResult(ct);
                return release.Task.WaitAsync(ct);
            },
            name,
            handOff);
        return (visible, await started.Task.WaitAsync(Hang));
    }

    public void Dispose()
    {
        Tracker.Dispose();
        _listener.Dispose();
        _services.Dispose();
    }
}
