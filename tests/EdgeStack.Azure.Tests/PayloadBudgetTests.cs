using EdgeStack.Azure.Internal;

namespace EdgeStack.Azure.Tests;

public sealed class PayloadBudgetTests
{
    [Fact]
    public void TryReserve_WithinTheBudget_Holds()
    {
        var budget = new PayloadBudget(10);

        var reserved = (budget.TryReserve(4), budget.TryReserve(6));

        Assert.Equal((true, true, 10L), (reserved.Item1, reserved.Item2, budget.Held));
    }

    [Fact]
    public void TryReserve_BeyondTheBudget_HoldsNothing()
    {
        var budget = new PayloadBudget(10);
        budget.TryReserve(6);

        var reserved = budget.TryReserve(5);

        Assert.Equal((false, 6L), (reserved, budget.Held));
    }

    [Fact]
    public void TryReserve_LargerThanTheBudgetWithNothingHeld_RunsAlone()
    {
        var budget = new PayloadBudget(10);

        var alone = budget.TryReserve(25);
        var beside = budget.TryReserve(1);

        Assert.Equal((true, false), (alone, beside));
    }

    [Fact]
    public async Task Release_SignalsWhoeverWaitsForRoom()
    {
        var budget = new PayloadBudget(10);
        budget.TryReserve(8);
        var next = budget.NextRelease();
        var waitingBefore = next.IsCompleted;

        budget.Release(8);
        await next.WaitAsync(TimeSpan.FromSeconds(5));
        var roomAfter = budget.TryReserve(10);

        Assert.Equal((false, true), (waitingBefore, roomAfter));
    }
}
