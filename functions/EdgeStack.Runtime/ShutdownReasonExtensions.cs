namespace EdgeStack.Runtime;

/// <summary>Maps <see cref="ShutdownReason"/> to and from Supabase's wire names.</summary>
public static class ShutdownReasonExtensions
{
    /// <summary>Returns Supabase's name for the reason, such as <c>wall_clock</c>.</summary>
    /// <param name="reason">The reason.</param>
    /// <returns>The wire name.</returns>
    public static string ToWireName(this ShutdownReason reason) => reason switch
    {
        ShutdownReason.Termination => "termination",
        ShutdownReason.WallClock => "wall_clock",
        ShutdownReason.Memory => "memory",
        ShutdownReason.Cpu => "cpu",
        ShutdownReason.EarlyDrop => "early_drop",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "Unknown shutdown reason."),
    };
}
