using System.Runtime.InteropServices;
using EdgeStack.Serve;

// ./edgestack serve: Azurite and every function app on 127.0.0.1 until Ctrl-C or SIGTERM.
var output = TextWriter.Synchronized(Console.Out);
ServeOptions options;
try
{
    options = ServeOptions.Parse(args, Environment.CurrentDirectory);
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync("serve: " + e.Message);
    return 2;
}

var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);

await using var stack = new LocalStack(options, output);
try
{
    using var starting = new CancellationTokenSource();
    _ = stop.Task.ContinueWith(_ => starting.Cancel(), TaskScheduler.Default);
    await stack.StartAsync(starting.Token);
}
catch (Exception e) when (e is InvalidOperationException or OperationCanceledException or IOException or Azure.RequestFailedException)
{
    await output.WriteLineAsync("serve: " + e.Message);
    await stack.StopAsync();
    return 1;
}

await stop.Task;
await output.WriteLineAsync("serve: stopping every app gracefully...");
return await stack.StopAsync() ? 0 : 1;

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.TrySetResult();
}
