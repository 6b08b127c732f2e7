using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using EdgeStack.Blueprint;
using EdgeStack.Contracts;
using EdgeStack.Run;
using EdgeStack.Tools;

// ./edgestack run NAME: one run of a scheduled function now; the exit code is the run's.
var output = TextWriter.Synchronized(Console.Out);
if (RunOptions.IsHelp(args))
{
    await output.WriteAsync(RunOptions.Usage);
    return 0;
}

RunOptions options;
try
{
    options = RunOptions.Parse(args, Environment.CurrentDirectory);
}
catch (Exception e) when (e is ArgumentException or InvalidOperationException or DirectoryNotFoundException)
{
    await Console.Error.WriteLineAsync("run: " + e.Message);
    return 2;
}

var function = options.Function;
var bin = Path.Combine(options.RepositoryRoot, function.Folder, "bin", options.Configuration, "net10.0");
var assembly = Path.Combine(bin, function.Name + ".dll");
if (!File.Exists(assembly))
{
    await Console.Error.WriteLineAsync($"run: {assembly} is missing; build it first: dotnet build {function.ProjectPath} -c {options.Configuration} (./edgestack run builds the Release one).");
    return 2;
}

// Ctrl-C or SIGTERM before the run starts cancels the set-up; during the run it goes to the function, which drains.
using var stopping = new CancellationTokenSource();
Process? job = null;
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);

LocalStorage storage;
try
{
    storage = await LocalStorage.OpenAsync(options, output, stopping.Token);
}
catch (Exception e) when (e is InvalidOperationException or OperationCanceledException or IOException)
{
    await Console.Error.WriteLineAsync("run: " + e.Message);
    return 1;
}

await using (storage)
{
    try
    {
        await DeclaredStorage.CreateAsync(storage.ConnectionString, [function], stopping.Token);
    }
    catch (Exception e) when (e is Azure.RequestFailedException or OperationCanceledException)
    {
        await Console.Error.WriteLineAsync($"run: could not create the storage {function.Name} declares: {e.Message}");
        return 1;
    }

    var info = new ProcessStartInfo("dotnet", [assembly])
    {
        WorkingDirectory = bin,
        RedirectStandardOutput = true,
        RedirectStandardError = true,
        UseShellExecute = false,
    };
    info.Environment["DOTNET_ENVIRONMENT"] = "Development";
    info.Environment[SettingNames.ToEnvironmentVariable(SettingNames.FunctionName)] = function.Name;
    info.Environment[SettingNames.ToEnvironmentVariable(SettingNames.StorageConnectionString)] = storage.ConnectionString;
    info.Environment[SettingNames.ToEnvironmentVariable(SettingNames.TerminationGracePeriodSeconds)] = options.GracePeriodSeconds.ToString(CultureInfo.InvariantCulture);
    if (function.Analytics == AnalyticsRole.Client && options.SinkName is { } sinkName && storage.Serve?["functions"]?[sinkName] is { } sink)
    {
        // The sink runs under serve: send it the run's events as the apps do.
        info.Environment[SettingNames.ToEnvironmentVariable(SettingNames.AnalyticsEndpoint)] = sink["url"]?.GetValue<string>();
        info.Environment[SettingNames.ToEnvironmentVariable(SettingNames.AnalyticsKey)] = sink["key"]?.GetValue<string>();
    }

    await output.WriteLineAsync($"run: {function.Name} (schedule \"{function.Schedule}\" UTC) once now...");
    var started = Stopwatch.StartNew();
    job = new Process { StartInfo = info };
    job.OutputDataReceived += (_, e) => { if (e.Data is not null) { output.WriteLine($"[{function.Name}] {e.Data}"); } };
    job.ErrorDataReceived += (_, e) => { if (e.Data is not null) { output.WriteLine($"[{function.Name}] {e.Data}"); } };
    job.Start();
    job.BeginOutputReadLine();
    job.BeginErrorReadLine();
    if (stopping.IsCancellationRequested)
    {
        Stop(null);
    }

    await job.WaitForExitAsync();
    var code = job.ExitCode;
    await output.WriteLineAsync($"run: {function.Name} exited with code {code} after {started.Elapsed.TotalSeconds:0.0} s.");
    return code;
}

void Stop(PosixSignalContext? context)
{
    if (context is not null)
    {
        context.Cancel = true;
    }

    stopping.Cancel();
    if (job is { HasExited: false } running)
    {
        // The function drains as in Azure; its exit code is the run's.
        _ = Signals.Terminate(running.Id);
    }
}
