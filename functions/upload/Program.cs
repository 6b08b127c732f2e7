using EdgeStack.Azure;
using EdgeStack.Functions.Upload;
using EdgeStack.Runtime;

// The seed's first example: answer {"status":"processing"} at once; the upload runs in the background as durable work.
var builder = WebApplication.CreateBuilder(args);
builder.AddEdgeRuntime();
builder.AddEdgeStackFunction();
builder.AddEdgeStackDurableWork();  // its own queue upload-jobs: what this instance cannot finish, the next one does
builder.Services.AddOptions<UploadOptions>().BindConfiguration(UploadOptions.SectionName);
builder.Services.AddDurableWorkHandler<UploadHandler>(UploadHandler.Name);

var app = builder.Build();
app.UseEdgeStackFunction();
app.MapEdgeRuntime();
app.MapUpload();
app.Run();
