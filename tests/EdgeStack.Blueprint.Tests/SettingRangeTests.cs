using System.Globalization;

namespace EdgeStack.Blueprint.Tests;

/// <summary>Each numeric setting accepts both ends of its documented range and refuses the values just outside, naming its key.</summary>
public class SettingRangeTests
{
    private const string Nightly = "nightly";

    private static IReadOnlyList<FunctionDeclaration> Functions =>
    [
        .. TestStacks.Functions,
        .. FunctionManifest.Parse([(Nightly, """{"kind":"scheduled","schedule":"0 3 * * *"}""")], _ => true),
    ];

    public static TheoryData<string, string, int, int, string> Ranges() => new()
    {
        // The other settings a value needs to be valid at all, as JSON members.
        { TestStacks.Hello, StackConfigKeys.MinReplicas, 0, StackSettingsParser.MaxReplicaLimit, $"\"{StackConfigKeys.MaxReplicas}\":{StackSettingsParser.MaxReplicaLimit}" },
        { TestStacks.Hello, StackConfigKeys.MaxReplicas, 1, StackSettingsParser.MaxReplicaLimit, "" },
        { TestStacks.Hello, StackConfigKeys.TerminationGracePeriodSeconds, StackSettingsParser.MinTerminationGracePeriodSeconds, StackSettingsParser.MaxTerminationGracePeriodSeconds, "" },
        { TestStacks.Hello, StackConfigKeys.TaskTimeoutSeconds, 1, StackSettingsParser.MaxTaskTimeoutSeconds, "" },
        // The timeout must outlast the grace period: with the shortest grace, its own range starts one above it.
        { Nightly, StackConfigKeys.ReplicaTimeoutSeconds, StackSettingsParser.MinTerminationGracePeriodSeconds + 1, FunctionSettings.MaxReplicaTimeoutSeconds, $"\"{StackConfigKeys.TerminationGracePeriodSeconds}\":{StackSettingsParser.MinTerminationGracePeriodSeconds}" },
        { Nightly, StackConfigKeys.ReplicaRetryLimit, 0, FunctionSettings.MaxReplicaRetryLimit, "" },
        { Nightly, StackConfigKeys.TerminationGracePeriodSeconds, StackSettingsParser.MinTerminationGracePeriodSeconds, JobPlan.PlatformGracePeriodSeconds, "" },
    };

    [Theory]
    [MemberData(nameof(Ranges))]
    public void Parse_EachEndOfTheRange_IsAccepted(string function, string setting, int min, int max, string others)
    {
        var settings = new[] { min, max }.Select(value => Parse(function, setting, value, others)).ToList();

        Assert.All(settings, s => Assert.Null(s.Error));
    }

    [Theory]
    [MemberData(nameof(Ranges))]
    public void Parse_JustOutsideTheRange_FailsNamingTheKey(string function, string setting, int min, int max, string others)
    {
        var errors = new[] { min - 1, max + 1 }.Select(value => Parse(function, setting, value, others).Error).ToList();

        Assert.All(errors, e => Assert.Contains(StackConfigKeys.FunctionPath(function, setting), e, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_MinReplicasEqualToMax_IsAccepted()
    {
        var settings = TestStacks.Parse(TestStacks.WithFunctions("""{"hello":{"minReplicas":3,"maxReplicas":3}}"""));

        Assert.Equal((3, 3), (settings.For(TestStacks.Hello).MinReplicas, settings.For(TestStacks.Hello).MaxReplicas));
    }

    [Fact]
    public void Parse_ReplicaTimeoutEqualToTheGracePeriod_FailsNamingTheTimeout()
    {
        var error = Parse(Nightly, StackConfigKeys.ReplicaTimeoutSeconds, 20, $"\"{StackConfigKeys.TerminationGracePeriodSeconds}\":20").Error;

        Assert.Contains(StackConfigKeys.FunctionPath(Nightly, StackConfigKeys.ReplicaTimeoutSeconds) + ": 20 must be more than", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("30")]
    [InlineData("730")]
    public void Parse_RetentionAtEitherEnd_IsAccepted(string days)
    {
        var settings = TestStacks.Parse(new Dictionary<string, string>(StringComparer.Ordinal) { [StackConfigKeys.AnalyticsRetentionDays] = days });

        Assert.Equal(int.Parse(days, CultureInfo.InvariantCulture), settings.AnalyticsRetentionDays);
    }

    [Theory]
    [InlineData("[]", "functions: must be an object with one object per function")]
    [InlineData("""{"hello":1}""", "functions.hello: must be an object of settings")]
    [InlineData("""{"hello":{"externalIngress":"yes"}}""", "functions.hello.externalIngress: 'yes' is not true or false")]
    [InlineData("""{"hello":{"requireKey":1}}""", "functions.hello.requireKey: '1' is not true or false")]
    public void Parse_BadFunctionsShape_FailsNamingTheKey(string functions, string expected)
    {
        var exception = Assert.Throws<InvalidOperationException>(() => TestStacks.Parse(TestStacks.WithFunctions(functions)));

        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ValidLocation_IsTheStacksLocation()
    {
        var settings = TestStacks.Parse(new Dictionary<string, string>(StringComparer.Ordinal) { [StackConfigKeys.Location] = "northeurope" });

        Assert.Equal("northeurope", settings.Location);
    }

    [Theory]
    [InlineData("ab", true)]
    [InlineData("a", false)]
    [InlineData("westeurope2", true)]
    [InlineData("2westeurope", false)]
    [InlineData("westEurope", false)]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", true)]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false)]
    public void Parse_Location_IsALowercaseRegionNameOf2To40Characters(string location, bool valid)
    {
        var config = new Dictionary<string, string>(StringComparer.Ordinal) { [StackConfigKeys.Location] = location };

        var error = Record.Exception(() => TestStacks.Parse(config));

        Assert.Equal(valid, error is null);
    }

    private static (FunctionSettings? Settings, string? Error) Parse(string function, string setting, int value, string others = "")
    {
        var json = $"{{\"{function}\":{{\"{setting}\":{value.ToString(CultureInfo.InvariantCulture)}{(others.Length > 0 ? "," + others : string.Empty)}}}}}";
        try
        {
            return (StackSettingsParser.Parse(TestStacks.WithFunctions(json), Functions).For(function), null);
        }
        catch (InvalidOperationException exception)
        {
            return (null, exception.Message);
        }
    }
}
