using EdgeStack.Azure;
using EdgeStack.Functions.Upload;
using EdgeStack.Runtime;

// The seed's first example: answer {"status":"processing"} at once; the upload runs in the background as durable work.
var builder = WebApplication.CreateBuilder(args);
builder.AddEdgeRuntime();
builder.AddEdgeStackFunction();
builder.AddEdgeStackStorage();
builder.AddUploadHandler();

var app = builder.Build();
app.UseEdgeStackFunction();
app.MapEdgeRuntime();
app.MapUpload();
app.Run();
