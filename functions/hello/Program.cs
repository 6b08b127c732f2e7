using EdgeStack.Azure;
using EdgeStack.Functions.Hello;
using EdgeStack.Runtime;

// The seed's second example: answer at once; the analytics event goes out in the background (WaitUntil inside IAnalytics).
var builder = WebApplication.CreateBuilder(args);
builder.AddEdgeRuntime();
builder.AddEdgeStackFunction();
builder.AddEdgeStackAnalytics();

var app = builder.Build();
app.UseEdgeStackFunction();
app.MapEdgeRuntime();
app.MapHello();
app.Run();
