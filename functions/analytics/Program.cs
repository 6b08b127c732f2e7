using EdgeStack.Azure;
using EdgeStack.Functions.Analytics;
using EdgeStack.Runtime;

// The analytics sink the other functions send their events to.
var builder = WebApplication.CreateBuilder(args);
builder.AddEdgeRuntime();
builder.AddEdgeStackFunction();
builder.AddEdgeStackTables();

var app = builder.Build();
app.UseEdgeStackFunction();
app.MapEdgeRuntime();
app.MapEvents();
app.Run();
