using System.Runtime.InteropServices;

// A stand-in function for serve's tests, with no dependency but ASP.NET Core so it can be copied under any name:
// answers /readyz, echoes the method, path, query and body it was sent, and with SERVE_TESTAPP_IGNORE_SIGTERM=1
// ignores SIGTERM as a function stuck on a request would.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var name = builder.Configuration["Function:Name"] ?? "unnamed";
var ignoreSigterm = Environment.GetEnvironmentVariable("SERVE_TESTAPP_IGNORE_SIGTERM") == "1";
if (ignoreSigterm)
{
    builder.Services.AddSingleton<IHostLifetime, NoSignalLifetime>();
}

using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    if (ignoreSigterm)
    {
        context.Cancel = true;

        // The runtime's DrainStarted message, which serve reads to say how many tasks a drain waits for.
        Console.WriteLine("Draining for termination: 3 background tasks pending, 1000 ms of drain budget left.");
        Console.WriteLine($"{name}: ignoring SIGTERM");
    }
});

var app = builder.Build();
app.MapGet("/readyz", () => Results.Text("ready"));

// What its build put next to it: serve --watch's tests change it and expect the restarted app to answer with it.
app.MapGet("/version", () => Results.Text(File.Exists(Path.Combine(AppContext.BaseDirectory, "version.txt")) ? File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "version.txt")) : "none"));
app.Map("/{**path}", async (HttpContext context) =>
{
    using var reader = new StreamReader(context.Request.Body);
    var body = await reader.ReadToEndAsync(context.RequestAborted);
    context.Response.Headers["X-Served-By"] = name;
    context.Response.StatusCode = int.TryParse(context.Request.Headers["X-Echo-Status"], out var status) ? status : StatusCodes.Status200OK;
    await context.Response.WriteAsync($"{name} {context.Request.Method} {context.Request.Path}{context.Request.QueryString} {body}", context.RequestAborted);
});
app.Run();

/// <summary>A lifetime that leaves SIGTERM unanswered.</summary>
internal sealed class NoSignalLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
