using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using EdgeStack.Azure;
using EdgeStack.Contracts;

namespace EdgeStack.Functions.Analytics;

/// <summary>POST /events (one event or a batch) → table <c>analytics</c>; GET /events?limit=N → the most recent events, with the read key.</summary>
internal static class EventsEndpoints
{
    public const string Route = "/events";
    public const int MaxNameLength = 128;
    public const int MaxPropertiesBytes = 32 * 1024;
    public const int DefaultLimit = 50;
    public const int MaxLimit = 1000;

    /// <summary>The most bytes one <c>GET /events</c> answer holds: 1000 events with 32 KiB of properties each would be ~100 MB.</summary>
    public const int MaxResponseBytes = 4 * 1024 * 1024;

    /// <summary>Set to <c>true</c> on a <c>GET /events</c> answer that stopped at <see cref="MaxResponseBytes"/> before <c>limit</c> events.</summary>
    public const string TruncatedHeader = "EdgeStack-Truncated";

    // Small pages: the table client holds a whole page in memory, so the byte budget bounds what is read too.
    private const int PageSize = 100;

    // The earliest time Table storage can hold.
    private static readonly DateTimeOffset MinEventTime = new(1601, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static IEndpointRouteBuilder MapEvents(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(Route, StoreAsync);
        endpoints.MapGet(Route, RecentAsync).RequireReadKey();
        return endpoints;
    }

    private static async Task<IResult> StoreAsync(HttpRequest request, TableServiceClient tables, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(EventsEndpoints));
        using var body = await JsonRequestBody.ReadAsync(request, cancellationToken);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var root = body.Root;
        var events = root.ValueKind switch
        {
            JsonValueKind.Object => [root],
            JsonValueKind.Array => root.EnumerateArray().ToList(),
            _ => null,
        };
        if (events is null)
        {
            return FunctionProblems.BadRequest($"The body must be an event object or an array of them; it is {root.ValueKind}.");
        }

        if (events.Count is 0 or > AnalyticsOptions.MaxSinkBatchSize)
        {
            return FunctionProblems.BadRequest($"A batch holds 1 to {AnalyticsOptions.MaxSinkBatchSize} events; this one holds {events.Count}.");
        }

        var receivedAt = time.GetUtcNow();
        var partition = EventRows.PartitionKey(receivedAt);
        var entities = new List<TableEntity>(events.Count);
        for (var i = 0; i < events.Count; i++)
        {
            var problem = TryCreateEntity(events[i], receivedAt, partition, i, out var entity);
            if (problem is not null)
            {
                return FunctionProblems.BadRequest(root.ValueKind == JsonValueKind.Array ? $"events[{i}]: {problem}" : problem);
            }

            entities.Add(entity!);
        }

        var table = tables.GetTableClient(StorageNames.AnalyticsTable);
        try
        {
            // One transaction (at most 100 entities, one partition): a refused batch has written nothing, so a retry duplicates nothing.
            await table.SubmitTransactionAsync(entities.Select(e => new TableTransactionAction(TableTransactionActionType.Add, e)), cancellationToken);
        }
        catch (Exception exception) when (StorageExceptions.IsStorageFailure(exception))
        {
            Log.EventsNotStored(logger, entities.Count, exception);
            return FunctionProblems.ServiceUnavailable("The events could not be stored; try again.");
        }

        Log.EventsStored(logger, entities.Count);
        return TypedResults.Json(new EventsStored(entities.Count), AnalyticsJsonContext.Default.EventsStored);
    }

    private static string? TryCreateEntity(JsonElement item, DateTimeOffset receivedAt, string partition, int index, out TableEntity? entity)
    {
        entity = null;
        if (item.ValueKind != JsonValueKind.Object)
        {
            return $"an event must be a JSON object; it is {item.ValueKind}.";
        }

        if (!item.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String || name.GetString() is not { Length: > 0 and <= MaxNameLength } eventName)
        {
            return $"'name' must be a string of 1 to {MaxNameLength} characters.";
        }

        var eventTime = receivedAt;
        if (item.TryGetProperty("timestamp", out var timestamp) && (timestamp.ValueKind != JsonValueKind.String || !timestamp.TryGetDateTimeOffset(out eventTime)))
        {
            return "'timestamp' must be an ISO 8601 date and time.";
        }

        if (eventTime < MinEventTime)
        {
            return "'timestamp' must be 1601-01-01 or later.";
        }

        string? function = null;
        if (item.TryGetProperty("function", out var functionElement)
            && (functionElement.ValueKind != JsonValueKind.String || (function = functionElement.GetString())!.Length > MaxNameLength))
        {
            return $"'function' must be a string of at most {MaxNameLength} characters.";
        }

        string? properties = null;
        if (item.TryGetProperty("properties", out var propertiesElement) && propertiesElement.ValueKind != JsonValueKind.Null)
        {
            if (propertiesElement.ValueKind != JsonValueKind.Object)
            {
                return "'properties' must be a JSON object.";
            }

            properties = propertiesElement.GetRawText();
            if (properties.Length > MaxPropertiesBytes)
            {
                return $"'properties' is larger than {MaxPropertiesBytes} characters.";
            }
        }

        entity = new TableEntity(partition, EventRows.RowKey(receivedAt, index))
        {
            ["Name"] = eventName,
            ["EventTime"] = eventTime,
            ["ReceivedAt"] = receivedAt,
            ["Function"] = function,
            ["Properties"] = properties,
        };
        return null;
    }

    private static async Task<IResult> RecentAsync(string? limit, TableServiceClient tables, TimeProvider time, HttpResponse response, CancellationToken cancellationToken)
    {
        // Parsed here, not bound as an int: a binding failure is an exception logged with its stack trace and a 400 without a detail.
        var take = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out take) || take is < 1 or > MaxLimit))
        {
            return FunctionProblems.BadRequest($"'limit' must be a whole number between 1 and {MaxLimit}; it is '{limit}'.");
        }

        var table = tables.GetTableClient(StorageNames.AnalyticsTable);
        var now = time.GetUtcNow();
        var recent = new List<byte[]>();
        var bytes = 2L;

        // Rows come newest first within a day; today's partition, then yesterday's if it is early in the day.
        foreach (var day in new[] { now, now.AddDays(-1) })
        {
            var partition = EventRows.PartitionKey(day);
            await foreach (var entity in table.QueryAsync<TableEntity>(e => e.PartitionKey == partition, maxPerPage: Math.Min(take, PageSize), cancellationToken: cancellationToken))
            {
                var json = ToJson(entity);
                if (bytes + json.Length + 1 > MaxResponseBytes)
                {
                    response.Headers[TruncatedHeader] = "true";
                    return JsonArrayOf(recent);
                }

                recent.Add(json);
                bytes += json.Length + 1;
                if (recent.Count == take)
                {
                    return JsonArrayOf(recent);
                }
            }
        }

        return JsonArrayOf(recent);
    }

    private static IResult JsonArrayOf(List<byte[]> items)
    {
        var array = new ArrayBufferWriter<byte>();
        array.Write("["u8);
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                array.Write(","u8);
            }

            array.Write(items[i]);
        }

        array.Write("]"u8);
        return Results.Bytes(array.WrittenMemory, "application/json");
    }

    private static byte[] ToJson(TableEntity entity)
    {
        // Written by the node itself: no serializer, no reflection.
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            ToNode(entity).WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static JsonObject ToNode(TableEntity entity) => new()
    {
        ["name"] = entity.GetString("Name"),
        ["timestamp"] = entity.GetDateTimeOffset("EventTime"),
        ["receivedAt"] = entity.GetDateTimeOffset("ReceivedAt"),
        ["function"] = entity.GetString("Function"),
        ["properties"] = entity.GetString("Properties") is { } properties ? JsonNode.Parse(properties) : null,
    };
}
