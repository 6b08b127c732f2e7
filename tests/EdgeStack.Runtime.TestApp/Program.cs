using EdgeStack.Runtime;

// A function app shaped like the seed, with knobs the process tests turn through the query string.
var builder = WebApplication.CreateBuilder(args);
builder.AddEdgeRuntime();
var app = builder.Build();
app.MapEdgeRuntime();

if (int.TryParse(Environment.GetEnvironmentVariable("TESTAPP_WARMUP_MS"), out var warmUpMs))
{
    _ = EdgeRuntime.WaitUntil(WarmUpAsync(warmUpMs), "warmup");
}

EdgeRuntime.BeforeUnload += (_, e) => Console.WriteLine($"BEFOREUNLOAD reason={e.ReasonName} timeLeftMs={(long)e.TimeLeft.TotalMilliseconds}");
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

// Burns processor time on the request thread.
app.MapPost("/burn", (int ms) =>
{
    var until = Environment.TickCount64 + ms;
    var spins = 0L;
    while (Environment.TickCount64 < until)
    {
        spins++;
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

static async Task WarmUpAsync(int ms)
{
    await Task.Delay(ms);
    Console.WriteLine("TASK-DONE warmup");
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
