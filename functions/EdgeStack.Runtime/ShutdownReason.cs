namespace EdgeStack.Runtime;

/// <summary>Why an instance is about to stop, from Supabase Edge Runtime's set of reasons.</summary>
/// <remarks>Use <see cref="ShutdownReasonExtensions.ToWireName"/> for Supabase's spelling (<c>wall_clock</c>).</remarks>
public enum ShutdownReason
{
    /// <summary>The platform asked the instance to stop (SIGTERM).</summary>
    Termination = 0,

    /// <summary>The instance reached its wall clock limit.</summary>
    WallClock = 1,

    /// <summary>The instance reached its memory limit.</summary>
    Memory = 2,

    /// <summary>The instance reached its CPU limit.</summary>
    Cpu = 3,

    /// <summary>The runtime retired the instance early, for example after an unhandled background failure.</summary>
    EarlyDrop = 4,
}
