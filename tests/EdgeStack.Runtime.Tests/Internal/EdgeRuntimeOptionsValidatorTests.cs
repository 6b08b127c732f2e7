using EdgeStack.Runtime.Internal;

namespace EdgeStack.Runtime.Tests.Internal;

public sealed class EdgeRuntimeOptionsValidatorTests
{
    private readonly EdgeRuntimeOptionsValidator _validator = new();

    [Fact]
    public void Defaults_GracePeriod30_DeriveShutdown27AndDrain24()
    {
        var options = new EdgeRuntimeOptions();

        var result = _validator.Validate(null, options);

        Assert.True(result.Succeeded);
        Assert.Equal(TimeSpan.FromSeconds(27), options.ShutdownTimeout);
        Assert.Equal(TimeSpan.FromSeconds(24), options.DrainBudget);
    }

    public static TheoryData<int> DocumentedGracePeriods() => [.. Enumerable.Range(1, 600)];

    [Theory]
    [MemberData(nameof(DocumentedGracePeriods))]
    public void Validate_EveryDocumentedGracePeriod_DerivesAChainThatHolds(int grace)
    {
        var options = new EdgeRuntimeOptions { TerminationGracePeriodSeconds = grace };

        var result = _validator.Validate(null, options);

        Assert.True(result.Succeeded, result.FailureMessage);
        Assert.InRange(options.DrainBudget.TotalSeconds, double.Epsilon, options.ShutdownTimeout.TotalSeconds - double.Epsilon);
        Assert.True(options.ShutdownTimeout < TimeSpan.FromSeconds(grace));
        Assert.True(options.ShutdownTimeout + options.ExitMargin <= TimeSpan.FromSeconds(grace));
    }

    [Theory]
    [InlineData(1, 0.75, 0.5)]
    [InlineData(2, 1.5, 1)]
    [InlineData(6, 5, 4)]
    [InlineData(600, 540, 480)]
    public void Defaults_SmallAndLargeGracePeriods_DeriveTheDocumentedChain(int grace, double shutdown, double drain)
    {
        var options = new EdgeRuntimeOptions { TerminationGracePeriodSeconds = grace };

        Assert.Equal(TimeSpan.FromSeconds(shutdown), options.ShutdownTimeout);
        Assert.Equal(TimeSpan.FromSeconds(drain), options.DrainBudget);
    }

    [Fact]
    public void Validate_ShutdownTimeoutAtGrace_FailsNamingTheChain()
    {
        var options = new EdgeRuntimeOptions { TerminationGracePeriodSeconds = 20, ShutdownTimeoutSeconds = 20 };

        var result = _validator.Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("EdgeRuntime:ShutdownTimeoutSeconds (20)", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("EdgeRuntime:TerminationGracePeriodSeconds (20)", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ReadinessDelayBeyondDrainBudget_Fails()
    {
        var options = new EdgeRuntimeOptions { ReadinessDelaySeconds = 25 };

        var result = _validator.Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("EdgeRuntime:ReadinessDelaySeconds (25)", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(601)]
    public void Validate_GraceOutOfRange_FailsNamingIt(int grace)
    {
        var options = new EdgeRuntimeOptions { TerminationGracePeriodSeconds = grace };

        var result = _validator.Validate(null, options);

        Assert.Contains($"EdgeRuntime:TerminationGracePeriodSeconds must be between 1 and 600; it is {grace}.", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(double.NaN)]
    public void Validate_TaskTimeoutNotPositive_FailsNamingIt(double timeout)
    {
        var options = new EdgeRuntimeOptions { TaskTimeoutSeconds = timeout };

        var result = _validator.Validate(null, options);

        Assert.Contains("EdgeRuntime:TaskTimeoutSeconds must be greater than 0", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(604796)]
    [InlineData(double.PositiveInfinity)]
    public void Validate_TaskTimeoutBeyondQueueVisibility_FailsNamingIt(double timeout)
    {
        var options = new EdgeRuntimeOptions { TaskTimeoutSeconds = timeout };

        var result = _validator.Validate(null, options);

        Assert.Contains("EdgeRuntime:TaskTimeoutSeconds must be greater than 0 and at most 604795", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_HugeDrainBudget_FailsWithAMessageNotAnOverflow()
    {
        var options = new EdgeRuntimeOptions { DrainBudgetSeconds = 1e300 };

        var result = _validator.Validate(null, options);

        Assert.Contains("EdgeRuntime:DrainBudgetSeconds must be greater than 0 and at most 600", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MemoryRatioAboveOne_FailsNamingIt()
    {
        var options = new EdgeRuntimeOptions { MemoryWarningRatio = 1.5 };

        var result = _validator.Validate(null, options);

        Assert.Contains("EdgeRuntime:MemoryWarningRatio", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(30)]
    [InlineData(-1)]
    public void Validate_ReplicaTimeoutNotBeyondTheGracePeriod_FailsNamingIt(double replicaTimeout)
    {
        var options = new EdgeRuntimeOptions { ReplicaTimeoutSeconds = replicaTimeout };

        var result = _validator.Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("EdgeRuntime:ReplicaTimeoutSeconds must be 0 (not a job) or more than EdgeRuntime:TerminationGracePeriodSeconds (30)", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 1800, 1770)]
    [InlineData(600, 1800, 600)]
    [InlineData(600, 0, 600)]
    [InlineData(0, 0, 0)]
    public void EffectiveWallClockLimit_ReplicaTimeout_FiresAGracePeriodBeforeIt(double wallClock, double replicaTimeout, double expected)
    {
        var options = new EdgeRuntimeOptions { WallClockLimitSeconds = wallClock, ReplicaTimeoutSeconds = replicaTimeout };

        var limit = options.EffectiveWallClockLimitSeconds;

        Assert.Equal(expected, limit);
        Assert.True(_validator.Validate(null, options).Succeeded);
    }
}
