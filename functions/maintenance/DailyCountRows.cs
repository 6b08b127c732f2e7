using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace EdgeStack.Functions.Maintenance;

/// <summary>The <c>analyticsdaily</c> table's keys: one partition per UTC day (as in <c>analytics</c>), one row per function, event name and path.</summary>
/// <remarks>
/// The row key is a hash of the three, because a path may hold characters a key may not (<c>/</c>, <c>#</c>, <c>?</c>) and
/// may be longer than a key; the three are stored as columns. The same day and counts always give the same rows, so a
/// run that recomputes a day writes nothing new.
/// </remarks>
internal static class DailyCountRows
{
    /// <summary>The table the per-day counts go to; declared in edgestack.json.</summary>
    public const string Table = "analyticsdaily";

    public static string PartitionKey(DateOnly day) => day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public static string RowKey(DailyCountKey key)
    {
        var text = string.Join('\0', key.Function, key.Name, key.Path);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
