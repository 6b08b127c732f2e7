using EdgeStack.Azure;
using EdgeStack.Functions.Maintenance;
using EdgeStack.Runtime;

// A scheduled function: one run (staging cleanup, analytics rollup), then exit with the run's exit code.
var builder = Host.CreateApplicationBuilder(args);
builder.AddEdgeRuntime();
builder.AddEdgeStackTables();
builder.AddMaintenance();

using var host = builder.Build();
return await host.RunJobAsync((services, cancellationToken) => services.GetRequiredService<MaintenanceRun>().RunAsync(cancellationToken));
