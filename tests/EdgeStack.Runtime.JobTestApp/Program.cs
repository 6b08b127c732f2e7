using System.Globalization;
using EdgeStack.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// A scheduled function's run, with knobs the process tests turn through the environment:
// JOB_WORK_MS (the work's length; it honours its token unless JOB_IGNORE_TOKEN=1), JOB_THROW=1 (the work fails),
// JOB_BACKGROUND_MS (WaitUntil work of that length), JOB_BACKGROUND_AFTER_UNLOAD_MS (WaitUntil work that ends that long
// after BeforeUnload: still running whenever the stop comes), JOB_BACKGROUND_FAULT=1 (WaitUntil work that faults).
var builder = Host.CreateApplicationBuilder(args);
builder.AddEdgeRuntime();
using var host = builder.Build();

var runtime = host.Services.GetRequiredService<IEdgeRuntime>();
var unloading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
runtime.BeforeUnload += (_, e) =>
{
    Console.WriteLine($"BEFOREUNLOAD reason={e.ReasonName} timeLeftMs={(long)e.TimeLeft.TotalMilliseconds}");
    unloading.TrySetResult();
};

var workMs = Setting("JOB_WORK_MS");
var backgroundMs = Setting("JOB_BACKGROUND_MS");
var afterUnloadMs = Setting("JOB_BACKGROUND_AFTER_UNLOAD_MS");
var ignoreToken = Environment.GetEnvironmentVariable("JOB_IGNORE_TOKEN") == "1";
var fail = Environment.GetEnvironmentVariable("JOB_THROW") == "1";
var backgroundFault = Environment.GetEnvironmentVariable("JOB_BACKGROUND_FAULT") == "1";

return await host.RunJobAsync(async (services, cancellationToken) =>
{
    Console.WriteLine("JOB-WORK-STARTED");
    if (backgroundMs is { } ms)
    {
        _ = EdgeRuntime.WaitUntil(async ct =>
        {
            await Task.Delay(ms, ct);
            Console.WriteLine("TASK-DONE background");
        }, "background");
    }

    if (afterUnloadMs is { } afterUnload)
    {
        _ = EdgeRuntime.WaitUntil(async ct =>
        {
            await unloading.Task.WaitAsync(ct);
            await Task.Delay(afterUnload, ct);
            Console.WriteLine("TASK-DONE background");
        }, "background");
    }

    if (backgroundFault)
    {
        _ = EdgeRuntime.WaitUntil(async ct =>
        {
            await Task.Yield();
            throw new InvalidOperationException("background boom");
        }, "faulty");
    }

    try
    {
        await Task.Delay(workMs ?? 0, ignoreToken ? CancellationToken.None : cancellationToken);
    }
    catch (OperationCanceledException)
    {
        Console.WriteLine("JOB-WORK-CANCELLED");
        throw;
    }

    if (fail)
    {
        throw new InvalidOperationException("work boom");
    }

    Console.WriteLine("JOB-WORK-DONE");
});

static int? Setting(string name) =>
    int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
