using EdgeStack.Azure;
using EdgeStack.Functions.Worker;
using EdgeStack.Runtime;

// Long jobs: POST /jobs queues a report on the worker's own queue (worker-jobs); whichever instance polls first runs it.
var builder = WebApplication.CreateBuilder(args);
builder.AddEdgeRuntime();
builder.AddEdgeStackFunction();
builder.AddEdgeStackDurableWork();
builder.Services.AddDurableWorkHandler<ReportHandler>(ReportHandler.Name);

var app = builder.Build();
app.UseEdgeStackFunction();
app.MapEdgeRuntime();
app.MapJobs();
app.Run();
