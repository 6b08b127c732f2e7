using System.Globalization;

namespace EdgeStack.Functions.Analytics;

/// <summary>The analytics table's keys: one partition per UTC day, row keys newest first that never collide.</summary>
/// <remarks>
/// PartitionKey is the day the sink received the event (<c>yyyyMMdd</c>), so a day is one partition and a query of the
/// recent events reads one or two partitions. RowKey is <c>{DateTime.MaxValue.Ticks - ticks:D19}-{guid:N}</c>: the inverted
/// receive time sorts the newest event first (tables return rows in key order), the i-th event of a batch gets i ticks more
/// so a batch keeps its order, and the random suffix keeps two instances writing in the same tick apart.
/// </remarks>
internal static class EventRows
{
    public static string PartitionKey(DateTimeOffset receivedAt) =>
        receivedAt.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public static string RowKey(DateTimeOffset receivedAt, int index) =>
        (DateTime.MaxValue.Ticks - receivedAt.UtcTicks - index).ToString("D19", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N");
}
