namespace EdgeStack.Azure.Internal;

/// <summary>
/// The payload bytes a queue consumer holds across the items it runs: an item is admitted when its bytes fit within
/// the budget beside those held, or when nothing is held (so an item larger than the budget runs alone, never stuck).
/// </summary>
internal sealed class PayloadBudget(long capacity)
{
    private readonly object _gate = new();
    private long _held;
    private TaskCompletionSource _released = NewSignal();

    /// <summary>Gets the budget in bytes.</summary>
    public long Capacity => capacity;

    /// <summary>Gets the bytes held now.</summary>
    public long Held
    {
        get
        {
            lock (_gate)
            {
                return _held;
            }
        }
    }

    /// <summary>Holds <paramref name="bytes"/> when they fit; otherwise holds nothing.</summary>
    /// <param name="bytes">The item's payload bytes.</param>
    /// <returns>True when the bytes are now held and must be given back with <see cref="Release"/>.</returns>
    public bool TryReserve(long bytes)
    {
        lock (_gate)
        {
            if (_held > 0 && _held + bytes > capacity)
            {
                return false;
            }

            _held += bytes;
            return true;
        }
    }

    /// <summary>Gives back bytes a <see cref="TryReserve"/> took, and wakes whoever waits for room.</summary>
    /// <param name="bytes">The bytes reserved.</param>
    public void Release(long bytes)
    {
        TaskCompletionSource released;
        lock (_gate)
        {
            _held -= bytes;
            released = _released;
            _released = NewSignal();
        }

        released.TrySetResult();
    }

    /// <summary>Gets a task that completes at the next <see cref="Release"/>: take it before a failed <see cref="TryReserve"/> is retried.</summary>
    /// <returns>The signal.</returns>
    public Task NextRelease()
    {
        lock (_gate)
        {
            return _released.Task;
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
