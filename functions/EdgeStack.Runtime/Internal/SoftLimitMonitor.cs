using Microsoft.Extensions.Hosting;

namespace EdgeStack.Runtime.Internal;

/// <summary>Retires the instance when it reaches its wall clock limit or its share of the GC's available memory.</summary>
internal sealed class SoftLimitMonitor(DefaultEdgeRuntime runtime, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = runtime.Options;
        if (options.WallClockLimitSeconds <= 0 && options.MemoryWarningRatio <= 0)
        {
            return;
        }

        var started = time.GetTimestamp();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.LimitCheckIntervalSeconds), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (Check(options, time.GetElapsedTime(started)) is { } reason)
                {
                    runtime.Retire(reason);
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping; nothing left to watch.
        }
    }

    private ShutdownReason? Check(EdgeRuntimeOptions options, TimeSpan uptime)
    {
        if (options.WallClockLimitSeconds > 0 && uptime.TotalSeconds >= options.WallClockLimitSeconds)
        {
            Log.SoftLimitReached(runtime.Logger, ShutdownReason.WallClock.ToWireName(), uptime.TotalSeconds, options.WallClockLimitSeconds);
            return ShutdownReason.WallClock;
        }

        if (options.MemoryWarningRatio > 0)
        {
            // Heap size after the last GC: what survives, not garbage waiting for the next collection.
            var info = GC.GetGCMemoryInfo();
            var available = info.TotalAvailableMemoryBytes;
            var used = Math.Max(info.HeapSizeBytes - info.FragmentedBytes, 0);
            if (available > 0 && used >= options.MemoryWarningRatio * available)
            {
                Log.SoftLimitReached(runtime.Logger, ShutdownReason.Memory.ToWireName(), used, available);
                return ShutdownReason.Memory;
            }
        }

        return null;
    }
}
