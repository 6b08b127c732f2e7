using EdgeStack.Contracts;
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
    [InlineData(3600, 1800, 1770)]
    public void EffectiveWallClockLimit_ReplicaTimeout_FiresAGracePeriodBeforeIt(double wallClock, double replicaTimeout, double expected)
    {
        var options = new EdgeRuntimeOptions { WallClockLimitSeconds = wallClock, ReplicaTimeoutSeconds = replicaTimeout };

        var limit = options.EffectiveWallClockLimitSeconds;

        Assert.Equal(expected, limit);
        Assert.True(_validator.Validate(null, options).Succeeded);
    }

    /// <summary>A year, the top of every open-ended limit (it keeps each derived TimeSpan representable).</summary>
    private const double Year = 365 * 24 * 3600;

    public static TheoryData<string, double> SettingsAtTheEndsOfTheirRanges() => new()
    {
        { SettingNames.TaskTimeoutSeconds, 0.001 },
        { SettingNames.TaskTimeoutSeconds, 604795 },
        { SettingNames.WallClockLimitSeconds, 0 },
        { SettingNames.WallClockLimitSeconds, Year },
        { SettingNames.ReplicaTimeoutSeconds, 0 },
        { SettingNames.ReplicaTimeoutSeconds, 30.001 },
        { SettingNames.ReplicaTimeoutSeconds, Year },
        { SettingNames.CpuTimeLimitSeconds, 0 },
        { SettingNames.CpuTimeLimitSeconds, Year },
        { SettingNames.MemoryWarningRatio, 0 },
        { SettingNames.MemoryWarningRatio, 1 },
        { SettingNames.LimitCheckIntervalSeconds, 0.001 },
        { SettingNames.LimitCheckIntervalSeconds, 3600 },
        { SettingNames.ReadinessDelaySeconds, 0 },
        { SettingNames.DrainBudgetSeconds, 0.001 },
    };

    [Theory]
    [MemberData(nameof(SettingsAtTheEndsOfTheirRanges))]
    public void Validate_SettingAtAnEndOfItsRange_Succeeds(string setting, double value)
    {
        var options = With(setting, value);

        var result = _validator.Validate(null, options);

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    public static TheoryData<string, double> SettingsJustOutsideTheirRanges() => new()
    {
        { SettingNames.TaskTimeoutSeconds, -0.001 },
        { SettingNames.TaskTimeoutSeconds, 604795.001 },
        { SettingNames.WallClockLimitSeconds, -0.001 },
        { SettingNames.WallClockLimitSeconds, Year + 0.001 },
        { SettingNames.ReplicaTimeoutSeconds, -0.001 },
        { SettingNames.ReplicaTimeoutSeconds, 29.999 },
        { SettingNames.ReplicaTimeoutSeconds, Year + 0.001 },
        { SettingNames.CpuTimeLimitSeconds, -0.001 },
        { SettingNames.CpuTimeLimitSeconds, Year + 0.001 },
        { SettingNames.MemoryWarningRatio, -0.001 },
        { SettingNames.MemoryWarningRatio, 1.001 },
        { SettingNames.LimitCheckIntervalSeconds, 0 },
        { SettingNames.LimitCheckIntervalSeconds, 3600.001 },
        { SettingNames.ReadinessDelaySeconds, -0.001 },
        { SettingNames.ReadinessDelaySeconds, 600.001 },
        { SettingNames.ShutdownTimeoutSeconds, 0 },
        { SettingNames.ShutdownTimeoutSeconds, 600.001 },
        { SettingNames.DrainBudgetSeconds, 0 },
        { SettingNames.DrainBudgetSeconds, 600.001 },
    };

    [Theory]
    [MemberData(nameof(SettingsJustOutsideTheirRanges))]
    public void Validate_SettingJustOutsideItsRange_FailsNamingIt(string setting, double value)
    {
        var options = With(setting, value);

        var result = _validator.Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains($"{setting} must ", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains($"it is {value}.", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SettingNames.ReadinessDelaySeconds)]
    [InlineData(SettingNames.ShutdownTimeoutSeconds)]
    [InlineData(SettingNames.DrainBudgetSeconds)]
    public void Validate_ChainSettingAtTheTopOfItsRange_FailsOnTheChainNotTheRange(string setting)
    {
        // 600 s is in range, but each of these must stay below the grace period, which is at most 600 s.
        var options = With(setting, 600);
        options.TerminationGracePeriodSeconds = 600;

        var result = _validator.Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains($"{setting} (600)", result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain($"{setting} must", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ShortestChainGrace1_Succeeds()
    {
        var options = new EdgeRuntimeOptions { TerminationGracePeriodSeconds = 1, ShutdownTimeoutSeconds = 0.002, DrainBudgetSeconds = 0.001 };

        var result = _validator.Validate(null, options);

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Validate_ReadinessDelayEqualToDrainBudget_FailsNamingTheChain()
    {
        var options = new EdgeRuntimeOptions { ReadinessDelaySeconds = 5, DrainBudgetSeconds = 5 };

        var result = _validator.Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("EdgeRuntime:ReadinessDelaySeconds (5) < EdgeRuntime:DrainBudgetSeconds (5)", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_DrainBudgetEqualToShutdownTimeout_FailsNamingTheChain()
    {
        var options = new EdgeRuntimeOptions { ShutdownTimeoutSeconds = 20, DrainBudgetSeconds = 20 };

        var result = _validator.Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("EdgeRuntime:DrainBudgetSeconds (20) < EdgeRuntime:ShutdownTimeoutSeconds (20)", result.FailureMessage, StringComparison.Ordinal);
    }

    /// <summary>The defaults (a valid chain) with one setting changed.</summary>
    private static EdgeRuntimeOptions With(string setting, double value)
    {
        var options = new EdgeRuntimeOptions();
        switch (setting)
        {
            case SettingNames.TaskTimeoutSeconds: options.TaskTimeoutSeconds = value; break;
            case SettingNames.WallClockLimitSeconds: options.WallClockLimitSeconds = value; break;
            case SettingNames.ReplicaTimeoutSeconds: options.ReplicaTimeoutSeconds = value; break;
            case SettingNames.CpuTimeLimitSeconds: options.CpuTimeLimitSeconds = value; break;
            case SettingNames.MemoryWarningRatio: options.MemoryWarningRatio = value; break;
            case SettingNames.LimitCheckIntervalSeconds: options.LimitCheckIntervalSeconds = value; break;
            case SettingNames.ReadinessDelaySeconds: options.ReadinessDelaySeconds = value; break;
            case SettingNames.ShutdownTimeoutSeconds: options.ShutdownTimeoutSeconds = value; break;
            case SettingNames.DrainBudgetSeconds: options.DrainBudgetSeconds = value; break;
            default: throw new ArgumentOutOfRangeException(nameof(setting), setting, "Not a numeric setting of the runtime.");
        }

        return options;
    }
}
