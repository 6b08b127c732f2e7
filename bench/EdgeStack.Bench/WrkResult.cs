namespace EdgeStack.Bench;

/// <summary>One wrk run: throughput, errors and the latency distribution (percentile → milliseconds).</summary>
internal sealed record WrkResult(double RequestsPerSecond, long Requests, long Errors, IReadOnlyDictionary<double, double> LatencyMs)
{
    public double P50 => LatencyMs[50];

    public double P99 => LatencyMs[99];
}
