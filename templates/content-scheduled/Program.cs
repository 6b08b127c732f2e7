using EdgeStack.Azure;
using EdgeStack.Functions.ScheduledFunction;
using EdgeStack.Runtime;

// A scheduled function: each run is one process that does its work and exits. A non-zero exit code (the work threw,
// WaitUntil work failed, or SIGTERM / wall_clock cut the run short) makes the platform retry, so keep the work idempotent.
var builder = Host.CreateApplicationBuilder(args);
builder.AddEdgeRuntime();
builder.AddEdgeStackStorage();
builder.Services.AddTransient<Job>();

using var host = builder.Build();
return await host.RunJobAsync((services, cancellationToken) => services.GetRequiredService<Job>().RunAsync(cancellationToken));
