using EdgeStack.Bench.Apps;
using EdgeStack.Runtime;

// BENCH_MODE picks the variant under load: "bare" is a plain minimal API with no runtime; "runtime" adds
// the EdgeStack runtime; "noop" and "delay" also start one background task per request; "taskrun" and
// "taskrun-delay" start the same tasks with an untracked Task.Run and no runtime, the floor to compare with.
var mode = Environment.GetEnvironmentVariable("BENCH_MODE") ?? "bare";
var withRuntime = mode is "runtime" or "noop" or "delay";
var builder = Environment.GetEnvironmentVariable("BENCH_BUILDER") == "slim"
    ? WebApplication.CreateSlimBuilder(args)
    : WebApplication.CreateBuilder(args);
if (withRuntime)
{
    builder.AddEdgeRuntime();
}

var app = builder.Build();

// Row 3's memory measurement: how many bytes one pending background task holds, tracked or not (see PendingMemory).
app.MapGet("/pending", PendingMemory.MeasureAsync);
if (withRuntime)
{
    app.MapEdgeRuntime();

    // The shutdown row: one background task of ms milliseconds, answered at once.
    app.MapGet("/task", (int ms) =>
    {
        EdgeRuntime.WaitUntil(Task.Delay(ms), "bench-task");
        return "scheduled";
    });
}

switch (mode)
{
    case "noop":
        app.MapGet("/", () =>
        {
            EdgeRuntime.WaitUntil(static _ => Task.CompletedTask);
            return "Hello World";
        });
        break;
    case "delay":
        app.MapGet("/", () =>
        {
            EdgeRuntime.WaitUntil(static cancellationToken => Task.Delay(2000, cancellationToken));
            return "Hello World";
        });
        break;
    case "taskrun":
        app.MapGet("/", () =>
        {
            _ = Task.Run(static () => { });
            return "Hello World";
        });
        break;
    case "taskrun-delay":
        app.MapGet("/", () =>
        {
            _ = Task.Run(static () => Task.Delay(2000));
            return "Hello World";
        });
        break;
    default:
        app.MapGet("/", () => "Hello World");
        break;
}

app.Run();
