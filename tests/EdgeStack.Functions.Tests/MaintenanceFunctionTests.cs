using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using EdgeStack.Azure;
using EdgeStack.Contracts;
using EdgeStack.Functions.Maintenance;
using EdgeStack.Testing;

namespace EdgeStack.Functions.Tests;

/// <summary>The maintenance function's runs as real processes against an Azurite of their own.</summary>
public sealed class MaintenanceFunctionTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly LogEvent s_jobFailed = new("EdgeStack.Runtime", 32);
    private static readonly LogEvent s_stagingCleaned = new("EdgeStack.Functions.Maintenance.MaintenanceRun", 230);
    private static readonly LogEvent s_analyticsRolledUp = new("EdgeStack.Functions.Maintenance.MaintenanceRun", 231);
    private static readonly TimeSpan s_hang = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Run_EventsOfRecentDays_RollsThemUpPerDayFunctionNameAndPathAndExitsZero()
    {
        await CreateDeclaredStorageAsync();
        var (daily, today) = (Daily(), DateOnly.FromDateTime(DateTime.UtcNow));
        var yesterday = today.AddDays(-1);
        var twoDaysAgo = today.AddDays(-2);
        var longAgo = today.AddDays(-30);
        await AddEventsAsync(yesterday, 3, "hello", "request", "/");
        await AddEventsAsync(yesterday, 2, "hello", "request", "/a?b#c/d");
        await AddEventsAsync(twoDaysAgo, 1, "upload", "stored", path: null);
        await AddEventsAsync(longAgo, 4, "hello", "request", "/");

        var (exitCode, _) = await RunAsync();

        Assert.Equal(0, exitCode);
        Assert.Equal([("hello", "request", "/", 3L), ("hello", "request", "/a?b#c/d", 2L)], await CountsAsync(daily, yesterday));
        Assert.Equal([("upload", "stored", "", 1L)], await CountsAsync(daily, twoDaysAgo));
        Assert.Empty(await CountsAsync(daily, longAgo));
    }

    [Fact]
    public async Task Run_Twice_SecondRunChangesNothing()
    {
        await CreateDeclaredStorageAsync();
        var day = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-3);
        await AddEventsAsync(day, 5, "hello", "request", "/twice");
        var (first, _) = await RunAsync();
        var before = await RowsAsync(Daily(), day);

        var (second, logs) = await RunAsync();
        var after = await RowsAsync(Daily(), day);

        Assert.Equal(0, first);
        Assert.Equal(0, second);
        Assert.Equal(before, after);
        var figures = State(logs.Single(s_analyticsRolledUp.Matches));
        Assert.Equal(0, figures.GetProperty("WrittenRows").GetInt32());
        Assert.Equal(0, figures.GetProperty("DeletedRows").GetInt32());
        Assert.True(figures.GetProperty("UnchangedRows").GetInt32() >= 1);
    }

    [Fact]
    public async Task Run_EventsChangedSinceTheLastRun_RecomputesTheDayAndDropsRowsNoLongerCounted()
    {
        await CreateDeclaredStorageAsync();
        var day = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-4);
        await AddEventsAsync(day, 2, "hello", "request", "/gone");
        await RunAsync();
        await DeleteEventsAsync(day);
        await AddEventsAsync(day, 1, "hello", "request", "/new");

        var (exitCode, _) = await RunAsync();

        Assert.Equal(0, exitCode);
        Assert.Equal([("hello", "request", "/new", 1L)], await CountsAsync(Daily(), day));
    }

    [Fact]
    public async Task Run_NewStagedPayloads_KeepsThemAndLogsTheFigures()
    {
        await CreateDeclaredStorageAsync();
        var name = AzureQueueDurableWorkQueue.StagingPrefix + "fresh-" + Guid.NewGuid().ToString("N");
        await azurite.Uploads.UploadBlobAsync(name, BinaryData.FromString("{}"));

        var (exitCode, logs) = await RunAsync();

        Assert.Equal(0, exitCode);
        Assert.True((await azurite.Uploads.GetBlobClient(name).ExistsAsync()).Value);
        Assert.Equal(0, State(logs.Single(s_stagingCleaned.Matches)).GetProperty("DeletedBlobs").GetInt32());
    }

    [Fact]
    public async Task Run_StorageUnreachable_ExitsNonZero()
    {
        var closedPort = FunctionProcess.FreePort();
        var unreachable = azurite.ConnectionString.Replace($":{azurite.BlobPort}/", $":{closedPort}/", StringComparison.Ordinal);

        var (exitCode, logs) = await RunAsync((SettingNames.ToEnvironmentVariable(SettingNames.StorageConnectionString), unreachable), ("Storage__CreateResources", "false"));

        Assert.NotEqual(0, exitCode);
        Assert.Contains(logs, s_jobFailed.Matches);
    }

    [Fact]
    public async Task Run_StagingMaxAgeOutOfRange_RefusesToStartNamingTheSetting()
    {
        await using var job = await StartAsync(("Maintenance__StagingMaxAgeHours", "0"));

        var exitCode = await job.WaitForExitAsync(s_hang);

        Assert.NotEqual(0, exitCode);
        Assert.Contains(job.Output, l => l.Contains("Maintenance:StagingMaxAgeHours must be between 1", StringComparison.Ordinal));
    }

    private async Task<(int ExitCode, IReadOnlyList<LogLine> Logs)> RunAsync(params (string Key, string Value)[] settings)
    {
        await using var job = await StartAsync(settings);
        var exitCode = await job.WaitForExitAsync(s_hang);
        if (exitCode != 0)
        {
            // The run's output explains a failure the assertions then report.
            Console.WriteLine(string.Join(Environment.NewLine, job.Output));
        }

        return (exitCode, job.Logs.ToList());
    }

    private Task<FunctionProcess> StartAsync(params (string Key, string Value)[] settings)
    {
        var environment = new Dictionary<string, string?>
        {
            [SettingNames.ToEnvironmentVariable(SettingNames.StorageConnectionString)] = azurite.ConnectionString,
        };
        foreach (var (key, value) in settings)
        {
            environment[key] = value;
        }

        return FunctionProcess.StartAsync(FunctionApps.AssemblyPath(FunctionProject.Maintenance), environment, waitUntilReady: false);
    }

    /// <summary>What the stack (or <c>./edgestack run</c>) creates from the declaration before a run.</summary>
    private async Task CreateDeclaredStorageAsync()
    {
        await azurite.CreateResourcesAsync();
        await Daily().CreateIfNotExistsAsync();
    }

    private TableClient Daily() => new TableServiceClient(azurite.ConnectionString).GetTableClient(DailyCountRows.Table);

    /// <summary>Adds events to the analytics table as the sink stores them: partition per day of receipt.</summary>
    private async Task AddEventsAsync(DateOnly day, int count, string function, string name, string? path)
    {
        var partition = day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var at = new DateTimeOffset(day.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero);
        var properties = path is null ? null : JsonSerializer.Serialize(new Dictionary<string, string> { ["path"] = path, ["method"] = "GET" });
        for (var i = 0; i < count; i++)
        {
            await azurite.Events.AddEntityAsync(new TableEntity(partition, Guid.NewGuid().ToString("N"))
            {
                ["Name"] = name,
                ["EventTime"] = at,
                ["ReceivedAt"] = at,
                ["Function"] = function,
                ["Properties"] = properties,
            });
        }
    }

    private async Task DeleteEventsAsync(DateOnly day)
    {
        var partition = day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        await foreach (var entity in azurite.Events.QueryAsync<TableEntity>(e => e.PartitionKey == partition))
        {
            await azurite.Events.DeleteEntityAsync(entity.PartitionKey, entity.RowKey);
        }
    }

    private static async Task<List<(string Function, string Name, string Path, long Count)>> CountsAsync(TableClient daily, DateOnly day) =>
        (await RowsAsync(daily, day)).Select(r => (r.Function, r.Name, r.Path, r.Count)).OrderBy(r => r.Path, StringComparer.Ordinal).ToList();

    private static async Task<List<(string RowKey, string Function, string Name, string Path, long Count, string ETag)>> RowsAsync(TableClient daily, DateOnly day)
    {
        var partition = day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var rows = new List<(string, string, string, string, long, string)>();
        await foreach (var e in daily.QueryAsync<TableEntity>(e => e.PartitionKey == partition))
        {
            rows.Add((e.RowKey, e.GetString("Function"), e.GetString("Name"), e.GetString("Path"), e.GetInt64("Count") ?? 0, e.ETag.ToString()));
        }

        return rows;
    }

    private static JsonElement State(LogLine line)
    {
        using var document = JsonDocument.Parse(Encoding.UTF8.GetBytes(line.Raw));
        return document.RootElement.GetProperty("State").Clone();
    }
}
