using Microsoft.Extensions.Hosting;

namespace EdgeStack.Runtime.Internal;

/// <summary>Retires the instance when it reaches its wall clock limit, its processor time limit or its share of the GC's available memory.</summary>
internal sealed class SoftLimitMonitor(DefaultEdgeRuntime runtime, TimeProvider time) : BackgroundService
{
    private const double NearLimitShare = 0.5;

    // How often memory is checked once the heap is past half the warning level (or the configured interval, if shorter).
    private static readonly TimeSpan s_closeInterval = TimeSpan.FromMilliseconds(50);

    private long _lastFullCollection;

    // The least time between two confirming collections; doubles each time one finds the heap below the level.
    private TimeSpan _collectionGap = s_closeInterval;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = runtime.Options;
        if (options.EffectiveWallClockLimitSeconds <= 0 && options.CpuTimeLimitSeconds <= 0 && options.MemoryWarningRatio <= 0)
        {
            return;
        }

        var started = time.GetTimestamp();
        var interval = TimeSpan.FromSeconds(options.LimitCheckIntervalSeconds);
        var closeInterval = interval < s_closeInterval ? interval : s_closeInterval;
        var nearLimit = false;
        try
        {
            while (true)
            {
                await Task.Delay(nearLimit ? closeInterval : interval, time, stoppingToken);
                if (Check(options, time.GetElapsedTime(started), out nearLimit) is { } reason)
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

    private ShutdownReason? Check(EdgeRuntimeOptions options, TimeSpan uptime, out bool nearLimit)
    {
        nearLimit = false;
        var wallClock = options.EffectiveWallClockLimitSeconds;
        if (wallClock > 0 && uptime.TotalSeconds >= wallClock)
        {
            Log.SoftLimitReached(runtime.Logger, ShutdownReason.WallClock.ToWireName(), uptime.TotalSeconds, wallClock);
            return ShutdownReason.WallClock;
        }

        if (options.CpuTimeLimitSeconds > 0 && Environment.CpuUsage.TotalTime.TotalSeconds is var cpu && cpu >= options.CpuTimeLimitSeconds)
        {
            Log.SoftLimitReached(runtime.Logger, ShutdownReason.Cpu.ToWireName(), cpu, options.CpuTimeLimitSeconds);
            return ShutdownReason.Cpu;
        }

        if (options.MemoryWarningRatio > 0)
        {
            // Two readings: the heap after the last collection, and the bytes allocated since (garbage included).
            var info = GC.GetGCMemoryInfo();
            var available = info.TotalAvailableMemoryBytes;
            if (available <= 0)
            {
                return null;
            }

            var warning = options.MemoryWarningRatio * available;
            var used = Math.Max(info.HeapSizeBytes - info.FragmentedBytes, 0);
            var current = GC.GetTotalMemory(forceFullCollection: false);
            var now = time.GetTimestamp();

            // Only a full collection tells what is live: after a gen0/1 one, dead gen2 objects still count; between
            // collections, new garbage does. Confirm with one when either crosses the level, at most once per gap.
            var lastWasFull = info.Generation == GC.MaxGeneration;
            var confirmed = false;
            if ((current >= warning || (used >= warning && !lastWasFull))
                && (_lastFullCollection == 0 || time.GetElapsedTime(_lastFullCollection, now) >= _collectionGap))
            {
                _lastFullCollection = now;
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: false);
                var full = GC.GetGCMemoryInfo();
                used = Math.Max(full.HeapSizeBytes - full.FragmentedBytes, 0);
                confirmed = true;

                // A healthy app whose garbage keeps crossing the level is confirmed ever less often, up to the normal interval.
                var normal = TimeSpan.FromSeconds(options.LimitCheckIntervalSeconds);
                _collectionGap = used < warning ? TimeSpan.FromTicks(Math.Min(_collectionGap.Ticks * 2, Math.Max(normal.Ticks, s_closeInterval.Ticks))) : s_closeInterval;
            }

            // Past half the warning level, a fast leak can cross the rest within one interval: look more often.
            nearLimit = Math.Max(used, current) >= warning * NearLimitShare;
            if (used >= warning && !lastWasFull && !confirmed)
            {
                // Not yet confirmed by a full collection: look again soon rather than retire on dead objects.
                nearLimit = true;
                return null;
            }

            if (used >= warning)
            {
                Log.SoftLimitReached(runtime.Logger, ShutdownReason.Memory.ToWireName(), used, available);
                return ShutdownReason.Memory;
            }
        }

        return null;
    }
}
