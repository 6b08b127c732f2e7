using EdgeStack.Runtime;

// A function app shaped like the seed, with knobs the process tests turn through the query string.
var builder = WebApplication.CreateBuilder(args);
builder.AddEdgeRuntime();
if (int.TryParse(Environment.GetEnvironmentVariable("TESTAPP_SLOW_START_MS"), out var slowStartMs))
{
    // A start that takes a while (say, storage checks), honouring the host's start token: SIGTERM can arrive during it.
    builder.Services.AddHostedService(_ => new SlowStart(slowStartMs));
}

var app = builder.Build();
app.MapEdgeRuntime();

// Released by BeforeUnload: work scheduled through /until-unload is in flight when the instance starts to stop.
var unloading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
EdgeRuntime.BeforeUnload += (_, e) =>
{
    Console.WriteLine($"BEFOREUNLOAD reason={e.ReasonName} timeLeftMs={(long)e.TimeLeft.TotalMilliseconds} pending={EdgeRuntime.Current.PendingTaskCount}");
    unloading.TrySetResult();
};

if (int.TryParse(Environment.GetEnvironmentVariable("TESTAPP_TOP_LEVEL_TASK_MS"), out var topLevelMs))
{
    // Tracked at the top level, before Run, like a warm-up; it ends ms after BeforeUnload, so it is still running when
    // the stop begins however long the start (or the test) took.
    _ = EdgeRuntime.WaitUntil(TopLevelAsync(unloading.Task, topLevelMs), "top-level");
}

if (string.Equals(Environment.GetEnvironmentVariable("TESTAPP_STUCK_BEFOREUNLOAD"), "true", StringComparison.Ordinal))
{
    EdgeRuntime.BeforeUnload += BeforeUnloadHandlers.NeverReturns;
}
EdgeRuntime.UnhandledRejection += (_, e) =>
{
    var handled = e.TaskName?.StartsWith("handled", StringComparison.Ordinal) == true;
    Console.WriteLine($"REJECTION name={e.TaskName} handled={handled} error={e.Exception.Message}");
    e.Handled = handled;
};

// Schedules a background delay of ms milliseconds that honours its token; answers at once.
app.MapPost("/background", (int ms, string? name) =>
{
    EdgeRuntime.WaitUntil(ct => SleepAsync(name ?? "sleep", ms, ct), name);
    return Results.Accepted(value: new { status = "processing" });
});

// Schedules a background task that finishes ms milliseconds after BeforeUnload fires.
app.MapPost("/until-unload", (int ms, string name) =>
{
    EdgeRuntime.WaitUntil(
        async ct =>
        {
            await unloading.Task.WaitAsync(ct);
            await SleepAsync(name, ms, ct);
        },
        name);
    return Results.Accepted();
});

// Schedules a background task that ignores its token.
app.MapPost("/stubborn", (int ms, string? name) =>
{
    EdgeRuntime.WaitUntil(StubbornAsync(name ?? "stubborn", ms), name);
    return Results.Accepted();
});

// Schedules a background task that faults.
app.MapPost("/fault", (string name) =>
{
    EdgeRuntime.WaitUntil(FaultAsync, name);
    return Results.Accepted();
});

// Schedules a background task that faults, awaits it and handles the failure, as in JavaScript's try { await p } catch {}.
app.MapPost("/fault-awaited", async (string name) =>
{
    var task = EdgeRuntime.WaitUntil(FaultAsync, name);
    try
    {
        await task;
    }
    catch (InvalidOperationException exception)
    {
        return Results.Ok(new { caught = exception.Message });
    }

    return Results.Ok(new { caught = (string?)null });
});

// Burns ms milliseconds of processor time on the request thread (however long that takes on a busy machine), ignoring the request's token.
app.MapPost("/burn", (int ms) =>
{
    Console.WriteLine("BURN-START");
    var until = Environment.CpuUsage.TotalTime + TimeSpan.FromMilliseconds(ms);
    var spins = 0L;
    while (Environment.CpuUsage.TotalTime < until)
    {
        for (var i = 0; i < 100_000; i++)
        {
            spins++;
        }
    }

    return Results.Ok(new { spins });
});

// A slow in-flight request.
app.MapGet("/slow", async (int ms) =>
{
    Console.WriteLine("SLOW-START");
    await Task.Delay(ms);
    return Results.Text("slow done");
});

// Allocates and keeps megabytes of memory, touching every page.
var retained = new List<byte[]>();
app.MapPost("/allocate", (int mb) =>
{
    for (var i = 0; i < mb; i++)
    {
        var block = new byte[1024 * 1024];
        Array.Fill(block, (byte)1);
        retained.Add(block);
    }

    return Results.Ok(new { retainedMb = retained.Count });
});

app.Run();

static async Task TopLevelAsync(Task unloading, int ms)
{
    await unloading;
    await Task.Delay(ms);
    Console.WriteLine("TASK-DONE top-level");
}

static async Task SleepAsync(string name, int ms, CancellationToken cancellationToken)
{
    try
    {
        await Task.Delay(ms, cancellationToken);
        Console.WriteLine($"TASK-DONE {name}");
    }
    catch (OperationCanceledException)
    {
        Console.WriteLine($"TASK-CANCELLED {name}");
        throw;
    }
}

static async Task StubbornAsync(string name, int ms)
{
    await Task.Delay(ms);
    Console.WriteLine($"TASK-DONE {name}");
}

static async Task FaultAsync(CancellationToken cancellationToken)
{
    await Task.Yield();
    throw new InvalidOperationException("boom");
}

/// <summary>BeforeUnload handlers the process tests turn on.</summary>
internal static class BeforeUnloadHandlers
{
    /// <summary>Blocks its thread for good, like a handler stuck on I/O that never answers.</summary>
    public static void NeverReturns(object? sender, BeforeUnloadEventArgs e)
    {
        Console.WriteLine("STUCK-HANDLER-ENTERED");
        Thread.Sleep(Timeout.Infinite);
    }
}

/// <summary>A hosted service whose start takes <c>ms</c> milliseconds unless the start is cancelled.</summary>
internal sealed class SlowStart(int ms) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Console.WriteLine("SLOWSTART begun");
        await Task.Delay(ms, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
