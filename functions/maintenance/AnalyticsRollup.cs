using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using EdgeStack.Contracts;
using Microsoft.Extensions.Options;

namespace EdgeStack.Functions.Maintenance;

/// <summary>Recomputes the per-day event counts of the last <see cref="MaintenanceOptions.RollupDays"/> UTC days into <see cref="DailyCountRows.Table"/>.</summary>
/// <remarks>
/// Each day is counted again from the <c>analytics</c> table (its partition per day of receipt), then the daily table is
/// brought to exactly those counts: changed rows replaced, rows no longer counted deleted, equal rows left alone. A second
/// run over the same events therefore writes nothing, and a run retried after a failure finishes the job.
/// </remarks>
internal sealed class AnalyticsRollup(TableServiceClient tables, IOptions<MaintenanceOptions> options, TimeProvider time, ILogger<AnalyticsRollup> logger)
{
    /// <summary>A table transaction holds at most 100 actions.</summary>
    private const int MaxTransactionActions = 100;

    private static readonly string[] s_eventColumns = ["Name", "Function", "Properties"];
    private static readonly string[] s_dailyColumns = ["RowKey", "Count"];

    public async Task<AnalyticsRollupResult> RunAsync(CancellationToken cancellationToken)
    {
        var events = tables.GetTableClient(StorageNames.AnalyticsTable);
        var daily = tables.GetTableClient(DailyCountRows.Table);
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        long eventCount = 0;
        int written = 0, unchanged = 0, deleted = 0;
        for (var i = 0; i < options.Value.RollupDays; i++)
        {
            var partition = DailyCountRows.PartitionKey(today.AddDays(-i));
            var counts = await CountAsync(events, partition, cancellationToken);
            var existing = await ReadCountsAsync(daily, partition, cancellationToken);
            var actions = new List<TableTransactionAction>();
            foreach (var (key, count) in counts)
            {
                var rowKey = DailyCountRows.RowKey(key);
                if (existing.Remove(rowKey, out var stored) && stored == count)
                {
                    unchanged++;
                    continue;
                }

                actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(partition, rowKey)
                {
                    ["Function"] = key.Function,
                    ["Name"] = key.Name,
                    ["Path"] = key.Path,
                    ["Count"] = count,
                }));
            }

            written += actions.Count;
            deleted += existing.Count;
            actions.AddRange(existing.Keys.Select(rowKey => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, rowKey), ETag.All)));
            foreach (var chunk in actions.Chunk(MaxTransactionActions))
            {
                await daily.SubmitTransactionAsync(chunk, cancellationToken);
            }

            var dayEvents = counts.Values.Sum();
            eventCount += dayEvents;
            Log.DayRolledUp(logger, partition, dayEvents, counts.Count);
        }

        return new AnalyticsRollupResult(options.Value.RollupDays, eventCount, written, unchanged, deleted);
    }

    private static async Task<Dictionary<DailyCountKey, long>> CountAsync(TableClient events, string partition, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<DailyCountKey, long>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}");
        await foreach (var entity in events.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: s_eventColumns, cancellationToken: cancellationToken))
        {
            var key = new DailyCountKey(entity.GetString("Function") ?? "", entity.GetString("Name") ?? "", PathOf(entity.GetString("Properties")));
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        return counts;
    }

    private static async Task<Dictionary<string, long>> ReadCountsAsync(TableClient daily, string partition, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}");
        await foreach (var entity in daily.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: s_dailyColumns, cancellationToken: cancellationToken))
        {
            counts[entity.RowKey] = entity.GetInt64("Count") ?? -1;
        }

        return counts;
    }

    /// <summary>The <c>path</c> an event's properties carry (hello's request events do), or "".</summary>
    private static string PathOf(string? properties)
    {
        if (string.IsNullOrEmpty(properties))
        {
            return "";
        }

        try
        {
            using var document = JsonDocument.Parse(properties);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("path", out var path)
                && path.ValueKind == JsonValueKind.String
                ? path.GetString() ?? ""
                : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }
}
