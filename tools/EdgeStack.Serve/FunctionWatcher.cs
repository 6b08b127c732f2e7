using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using EdgeStack.Blueprint;

namespace EdgeStack.Serve;

/// <summary>
/// <c>serve --watch</c>: a change in a function's folder (its build output aside) builds that function into a fresh
/// folder and, if it built, restarts it gracefully from there on the same port; a failed build leaves the running one alone.
/// </summary>
/// <remarks>
/// Each build gets its own output folder (<c>&lt;state-dir&gt;/watch/&lt;name&gt;/&lt;n&gt;/</c>), so no file of the
/// running process is overwritten under it. Only the function's own folder is watched: a change in a shared library
/// (the runtime, the Azure wiring) needs a restart of serve.
/// </remarks>
internal sealed class FunctionWatcher : IAsyncDisposable
{
    /// <summary>How long a folder must stay quiet after a change before the build starts: an editor's save is a burst of events.</summary>
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(500);

    private readonly CancellationTokenSource _stop = new();
    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly List<Task> _loops = [];

    /// <summary>Watches every function in <paramref name="functions"/>; <paramref name="restart"/> starts a function from a new build folder.</summary>
    public static FunctionWatcher Start(ServeOptions options, IEnumerable<FunctionDeclaration> functions, Func<FunctionDeclaration, string, CancellationToken, Task> restart, TextWriter output)
    {
        // Builds of an earlier run: nothing runs from them.
        var builds = Path.Combine(options.StateDirectory, "watch");
        if (Directory.Exists(builds))
        {
            Directory.Delete(builds, recursive: true);
        }

        var watcher = new FunctionWatcher();
        foreach (var function in functions)
        {
            var folder = Path.Combine(options.RepositoryRoot, function.Folder);
            var changes = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
            var files = new FileSystemWatcher(folder)
            {
                IncludeSubdirectories = true,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
            };
            void OnChange(string path)
            {
                if (!IsBuildOutput(folder, path))
                {
                    changes.Writer.TryWrite(Path.GetRelativePath(options.RepositoryRoot, path));
                }
            }

            files.Changed += (_, e) => OnChange(e.FullPath);
            files.Created += (_, e) => OnChange(e.FullPath);
            files.Deleted += (_, e) => OnChange(e.FullPath);
            files.Renamed += (_, e) => OnChange(e.FullPath);
            files.EnableRaisingEvents = true;
            watcher._watchers.Add(files);
            watcher._loops.Add(watcher.RunAsync(options, function, changes.Reader, restart, output));
        }

        return watcher;
    }

    /// <summary>Stops watching and waits for a build or restart in progress to give up.</summary>
    public async ValueTask DisposeAsync()
    {
        _watchers.ForEach(w => w.Dispose());
        await _stop.CancelAsync();
        await Task.WhenAll(_loops);
        _stop.Dispose();
    }

    private static bool IsBuildOutput(string folder, string path)
    {
        var first = Path.GetRelativePath(folder, path).Split(Path.DirectorySeparatorChar)[0];
        return first is "bin" or "obj";
    }

    private async Task RunAsync(ServeOptions options, FunctionDeclaration function, ChannelReader<string> changes, Func<FunctionDeclaration, string, CancellationToken, Task> restart, TextWriter output)
    {
        var cancellationToken = _stop.Token;
        var generation = 0;
        try
        {
            while (true)
            {
                // The last change of a burst names the file best: an editor's save often ends in renaming a temporary file.
                var changed = await changes.ReadAsync(cancellationToken);
                while (await NextChangeAsync(changes, cancellationToken) is { } later)
                {
                    changed = later;
                }

                generation++;
                var outputFolder = Path.Combine(options.StateDirectory, "watch", function.Name, generation.ToString(CultureInfo.InvariantCulture)) + Path.DirectorySeparatorChar;
                await output.WriteLineAsync($"serve: {changed} changed; building {function.Name}...");
                if (await BuildAsync(options, function, outputFolder, output, cancellationToken))
                {
                    try
                    {
                        await restart(function, outputFolder, cancellationToken);
                        DeleteEarlierBuilds(outputFolder);
                    }
                    catch (InvalidOperationException e)
                    {
                        await output.WriteLineAsync($"serve: {function.Name} did not restart: {e.Message}");
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // serve is stopping.
        }
    }

    /// <summary>Deletes the build folders of the function's earlier restarts: no process runs from them any more.</summary>
    private static void DeleteEarlierBuilds(string current)
    {
        var currentFolder = new DirectoryInfo(current.TrimEnd(Path.DirectorySeparatorChar));
        foreach (var earlier in currentFolder.Parent!.EnumerateDirectories().Where(d => d.Name != currentFolder.Name))
        {
            earlier.Delete(recursive: true);
        }
    }

    /// <returns>The next change within <see cref="Quiet"/>, or null once the folder stayed quiet that long.</returns>
    private static async Task<string?> NextChangeAsync(ChannelReader<string> changes, CancellationToken cancellationToken)
    {
        using var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        quiet.CancelAfter(Quiet);
        try
        {
            return await changes.ReadAsync(quiet.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private static async Task<bool> BuildAsync(ServeOptions options, FunctionDeclaration function, string outputFolder, TextWriter output, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("dotnet", ["build", function.ProjectPath, "-c", options.Configuration, $"-p:OutDir={outputFolder}", "-nologo", "-v:q", "-clp:ErrorsOnly", "-nodeReuse:false"])
        {
            WorkingDirectory = options.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var build = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start.");
        var stdout = build.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = build.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await build.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            build.Kill(entireProcessTree: true);
            throw;
        }

        if (build.ExitCode == 0)
        {
            return true;
        }

        await output.WriteLineAsync($"serve: {function.Name} did not build (exit code {build.ExitCode}); it keeps running its last build:");
        foreach (var line in ((await stdout) + (await stderr)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            await output.WriteLineAsync($"[{function.Name} build] {line}");
        }

        return false;
    }
}
