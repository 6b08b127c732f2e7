using EdgeStack.Azure;
using EdgeStack.Functions.Tally;
using EdgeStack.Runtime;

// A function of its own, outside the shipped four: POST /items queues durable work for its own handler "count".
var builder = WebApplication.CreateBuilder(args);
builder.AddEdgeRuntime();
builder.AddEdgeStackFunction();
builder.AddEdgeStackDurableWork();
builder.Services.AddOptions<CountOptions>().BindConfiguration(CountOptions.SectionName);
builder.Services.AddDurableWorkHandler<CountHandler>(CountHandler.Name);

var app = builder.Build();
app.UseEdgeStackFunction();
app.MapEdgeRuntime();
app.MapItems();
app.Run();
