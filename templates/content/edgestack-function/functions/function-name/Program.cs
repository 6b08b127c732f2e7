//#if (kind == "scheduled")
using EdgeStack.Functions.FunctionPascal;
using EdgeStack.Runtime;

// The function-name function, scheduled: each run is one process that does its work, waits for its WaitUntil work and
// exits. A non-zero exit code (the work threw, WaitUntil work failed, SIGTERM or wall_clock cut the run short) makes the
// platform retry the run, so keep the work idempotent. To use storage, declare it in edgestack.json, add
// builder.AddEdgeStackStorage() (EdgeStack.Azure) and "Storage": { "CreateResources": false } to appsettings.json:
// the stack (and ./edgestack run) creates what the function declares, as for functions/maintenance. Tables come from
// builder.AddEdgeStackTables() and need <PublishAot>false</PublishAot> in the csproj: Azure.Data.Tables is not Native
// AOT-safe (the README's Native AOT section).
var builder = Host.CreateApplicationBuilder(args);
builder.AddEdgeRuntime();
builder.Services.AddTransient<FunctionPascalRun>();

using var host = builder.Build();
return await host.RunJobAsync((services, cancellationToken) => services.GetRequiredService<FunctionPascalRun>().RunAsync(cancellationToken));
//#else
using EdgeStack.Azure;
using EdgeStack.Functions.FunctionPascal;
using EdgeStack.Runtime;

//#if (kind == "queue")
// The function-name function: POST /work answers 202 once its durable work is on the function's own queue; the handler
// runs it here at once, and this function's queue consumer finishes whatever an instance could not (SIGTERM, even SIGKILL).
//#else
// The function-name function: GET / answers at once; the work after the answer runs in the background (WaitUntil).
//#endif
var builder = WebApplication.CreateBuilder(args);
builder.AddEdgeRuntime();
builder.AddEdgeStackFunction();
//#if (kind == "queue")
builder.AddEdgeStackDurableWork();  // its own queue function-name-jobs: what this instance cannot finish, the next one does
builder.Services.AddDurableWorkHandler<FunctionPascalHandler>(FunctionPascalHandler.Name);
builder.Services.AddOptions<FunctionPascalOptions>().BindConfiguration(FunctionPascalOptions.SectionName);
//#endif

var app = builder.Build();
app.UseEdgeStackFunction();
app.MapEdgeRuntime();
app.MapFunctionPascal();
app.Run();
//#endif
