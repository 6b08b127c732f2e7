using System.Diagnostics.Metrics;

namespace EdgeStack.Runtime.Internal;

/// <summary>The runtime's instruments, on the <c>EdgeStack.Runtime</c> meter.</summary>
internal sealed class EdgeRuntimeMetrics
{
    public const string MeterName = "EdgeStack.Runtime";

    private readonly UpDownCounter<long> _pending;
    private readonly Counter<long> _completed;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _timedOut;
    private readonly Counter<long> _abandoned;
    private readonly Counter<long> _handedOff;
    private readonly Histogram<double> _drainDuration;

    public EdgeRuntimeMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _pending = meter.CreateUpDownCounter<long>("edgestack.tasks.pending", "{task}", "Background tasks that have not settled.");
        _completed = meter.CreateCounter<long>("edgestack.tasks.completed", "{task}", "Background tasks that settled without a fault.");
        _failed = meter.CreateCounter<long>("edgestack.tasks.failed", "{task}", "Background tasks that faulted.");
        _timedOut = meter.CreateCounter<long>("edgestack.tasks.timed_out", "{task}", "Background tasks cancelled at their timeout.");
        _abandoned = meter.CreateCounter<long>("edgestack.tasks.abandoned", "{task}", "Background tasks still running when the drain budget ended and not handed off: lost work.");
        _handedOff = meter.CreateCounter<long>("edgestack.tasks.handed_off", "{task}", "Durable tasks still running when the drain budget ended, handed back to the queue to finish elsewhere.");
        _drainDuration = meter.CreateHistogram<double>("edgestack.drain.duration", "s", "Time from the start of drain to its end.");
    }

    public void Started() => _pending.Add(1);

    public void Completed()
    {
        _pending.Add(-1);
        _completed.Add(1);
    }

    public void Failed()
    {
        _pending.Add(-1);
        _failed.Add(1);
    }

    public void Settled() => _pending.Add(-1);

    public void TimedOut() => _timedOut.Add(1);

    public void Abandoned() => _abandoned.Add(1);

    public void HandedOff() => _handedOff.Add(1);

    public void Drained(TimeSpan duration) => _drainDuration.Record(duration.TotalSeconds);
}
