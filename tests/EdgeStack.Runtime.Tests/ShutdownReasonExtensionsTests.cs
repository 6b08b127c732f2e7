namespace EdgeStack.Runtime.Tests;

public sealed class ShutdownReasonExtensionsTests
{
    [Theory]
    [InlineData(ShutdownReason.Termination, "termination")]
    [InlineData(ShutdownReason.WallClock, "wall_clock")]
    [InlineData(ShutdownReason.Memory, "memory")]
    [InlineData(ShutdownReason.Cpu, "cpu")]
    [InlineData(ShutdownReason.EarlyDrop, "early_drop")]
    public void ToWireName_EachReason_IsSupabasesName(ShutdownReason reason, string expected)
    {
        var name = reason.ToWireName();

        Assert.Equal(expected, name);
    }
}
