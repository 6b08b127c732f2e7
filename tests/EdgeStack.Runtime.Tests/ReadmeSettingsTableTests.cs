using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using EdgeStack.Runtime.Internal;
using EdgeStack.Testing;

namespace EdgeStack.Runtime.Tests;

/// <summary>
/// The README's table of <c>EdgeRuntime</c> settings says what the options and their validator do: a row for every
/// setting, the options' own defaults, and ranges whose ends the validator accepts and beyond which it refuses.
/// </summary>
public sealed partial class ReadmeSettingsTableTests
{
    private const string Header = "| setting | default | range | meaning |";

    private static readonly IReadOnlyDictionary<string, Row> s_rows = ReadTable();

    private static readonly EdgeRuntimeOptionsValidator s_validator = new();

    public static TheoryData<string> Settings() => [.. SettableProperties().Select(p => p.Name)];

    [Fact]
    public void Table_HasARowForEverySettingAndNoOther()
    {
        Assert.Equal(SettableProperties().Select(p => p.Name).Order(StringComparer.Ordinal), s_rows.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Settings))]
    public void Default_IsWhatTheOptionsStartWith(string setting)
    {
        var row = RowOf(setting);
        var value = Property(setting).GetValue(new EdgeRuntimeOptions());

        if (value is null)
        {
            // Unset: the row says what it is derived from, in words, not a number.
            Assert.DoesNotMatch(@"^[\d.]+(\s|$)", row.Default);
        }
        else
        {
            Assert.Equal(Convert.ToString(value, CultureInfo.InvariantCulture)!.ToLowerInvariant(), row.Default.Split(' ')[0]);
        }
    }

    [Theory]
    [MemberData(nameof(Settings))]
    public void Range_EndsAreAcceptedAndBeyondThemRefused(string setting)
    {
        var property = Property(setting);
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        var range = RowOf(setting).Range;
        if (range == "true, false")
        {
            Assert.Equal(typeof(bool), type);
            return;
        }

        var match = RangePattern().Match(range);
        Assert.True(match.Success, $"the range of {setting} is not '[a, b]', '(a, b]' or '0 or (a, b]': '{range}'");
        var step = type == typeof(int) ? 1 : 0.001;
        var low = Bound(match.Groups["low"].Value);
        var high = Bound(match.Groups["high"].Value);
        var lowIncluded = match.Groups["open"].Value == "[";
        var highIncluded = match.Groups["close"].Value == "]";

        Assert.True(lowIncluded == Accepts(setting, low), $"{setting} {(lowIncluded ? "refuses" : "accepts")} {low}");
        Assert.True(Accepts(setting, low + step), $"{setting} refuses {low + step}");
        Assert.True(Accepts(setting, high - step), $"{setting} refuses {high - step}");
        Assert.True(highIncluded == Accepts(setting, high), $"{setting} {(highIncluded ? "refuses" : "accepts")} {high}");
        Assert.False(Accepts(setting, high + step), $"{setting} accepts {high + step}");
        if (lowIncluded)
        {
            Assert.False(Accepts(setting, low - step), $"{setting} accepts {low - step}");
        }

        if (match.Groups["zero"].Success)
        {
            Assert.True(Accepts(setting, 0), $"{setting} refuses 0");
            Assert.False(Accepts(setting, step), $"{setting} accepts {step}");
        }
    }

    /// <summary>Whether the validator takes <paramref name="value"/> for <paramref name="setting"/>, the others at their defaults; the grace chain is not this table's business.</summary>
    private static bool Accepts(string setting, double value)
    {
        var options = new EdgeRuntimeOptions();
        var property = Property(setting);
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        property.SetValue(options, Convert.ChangeType(value, type, CultureInfo.InvariantCulture));
        var result = s_validator.Validate(null, options);
        var key = EdgeRuntimeOptions.SectionName + ":" + setting;
        return result.Failures?.Any(f => f.StartsWith(key + " must", StringComparison.Ordinal)) != true;
    }

    /// <summary>A range's end: a number, or G, the default grace period.</summary>
    private static double Bound(string text) =>
        text == "G" ? new EdgeRuntimeOptions().TerminationGracePeriodSeconds : double.Parse(text, CultureInfo.InvariantCulture);

    private static IEnumerable<PropertyInfo> SettableProperties() =>
        typeof(EdgeRuntimeOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite);

    private static Row RowOf(string setting) =>
        s_rows.TryGetValue(setting, out var row) ? row : throw new Xunit.Sdk.XunitException($"README.md's settings table has no row for {setting}");

    private static PropertyInfo Property(string setting) => typeof(EdgeRuntimeOptions).GetProperty(setting)!;

    private static Dictionary<string, Row> ReadTable()
    {
        var lines = File.ReadAllLines(Path.Combine(TestPaths.RepositoryRoot, "README.md"));
        var start = Array.IndexOf(lines, Header);
        Assert.True(start >= 0, $"README.md has no settings table with the header '{Header}'");
        var rows = new Dictionary<string, Row>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(start + 2).TakeWhile(l => l.StartsWith('|')))
        {
            var cells = line.Trim('|').Split(" | ").Select(c => c.Trim()).ToArray();
            rows.Add(cells[0].Trim('`'), new Row(cells[1], cells[2]));
        }

        return rows;
    }

    [GeneratedRegex(@"^(?<zero>0 or )?(?<open>[\[(])(?<low>G|[\d.]+), (?<high>[\d.]+)(?<close>[\])])$")]
    private static partial Regex RangePattern();

    private sealed record Row(string Default, string Range);
}
