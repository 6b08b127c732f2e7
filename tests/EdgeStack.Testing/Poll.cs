using System.Diagnostics;

namespace EdgeStack.Testing;

/// <summary>Waits for a condition in storage or elsewhere that has no event to wait on, with a bounded deadline.</summary>
public static class Poll
{
    /// <summary>Calls <paramref name="probe"/> until it returns a value, failing after <paramref name="timeout"/> with <paramref name="what"/>.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(probe);
        var clock = Stopwatch.StartNew();
        var interval = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Gave up after {timeout.TotalSeconds:0.#} s waiting for {what}.");
            }

            await Task.Delay(interval);
            interval = TimeSpan.FromTicks(Math.Min(interval.Ticks * 2, TimeSpan.FromMilliseconds(250).Ticks));
        }
    }

    /// <summary>Calls <paramref name="condition"/> until it is true, failing after <paramref name="timeout"/> with <paramref name="what"/>.</summary>
    public static Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return UntilAsync<object>(async () => await condition() ? new object() : null, timeout, what);
    }
}
