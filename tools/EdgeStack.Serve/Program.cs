using System.Runtime.InteropServices;
using EdgeStack.Serve;

// ./edgestack serve: Azurite, every function app and the gateway on 127.0.0.1 until Ctrl-C or SIGTERM.
// ./edgestack storage: what that stack stored (the same tool, first argument "storage").
var output = TextWriter.Synchronized(Console.Out);
if (args is ["storage", .. var storageArgs])
{
    try
    {
        return await StorageCommand.RunAsync(storageArgs, Environment.CurrentDirectory, output, CancellationToken.None);
    }
    catch (ArgumentException e)
    {
        await Console.Error.WriteLineAsync("storage: " + e.Message);
        return 2;
    }
    catch (Exception e) when (e is InvalidOperationException or IOException or Azure.RequestFailedException or HttpRequestException)
    {
        await Console.Error.WriteLineAsync("storage: " + e.Message);
        return 1;
    }
}

if (ServeOptions.IsHelp(args))
{
    await output.WriteAsync(ServeOptions.Usage);
    return 0;
}

ServeOptions options;
try
{
    options = ServeOptions.Parse(args, Environment.CurrentDirectory);
}
catch (Exception e) when (e is ArgumentException or InvalidOperationException)
{
    await Console.Error.WriteLineAsync("serve: " + e.Message);
    return 2;
}

var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
await using var stack = new LocalStack(options, output);
var signals = 0;
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);

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
await output.WriteLineAsync($"serve: stopping every app gracefully ({options.GracePeriodSeconds} s grace period each, then SIGKILL); Ctrl-C again to kill them now...");
return await stack.StopAsync() ? 0 : 1;

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    if (Interlocked.Increment(ref signals) == 1)
    {
        stop.TrySetResult();
    }
    else
    {
        output.WriteLine("serve: second stop request: killing every process still running (SIGKILL).");
        stack.ForceStop();
    }
}
