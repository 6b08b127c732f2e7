using EdgeStack.Azure;
using EdgeStack.Functions.Worker;
using EdgeStack.Runtime;

// The queue consumer: long jobs and the durable work other functions handed off, run by the same named handlers.
var builder = WebApplication.CreateBuilder(args);
builder.AddEdgeRuntime();
builder.AddEdgeStackFunction();
builder.AddEdgeStackStorage();
builder.AddUploadHandler();
builder.Services.AddDurableWorkHandler<ReportHandler>(ReportHandler.Name);
builder.AddDurableWorkConsumer();

var app = builder.Build();
app.UseEdgeStackFunction();
app.MapEdgeRuntime();
app.MapJobs();
app.Run();
