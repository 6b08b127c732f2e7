using System.Globalization;

namespace EdgeStack.Containers;

/// <summary>The docker CLI calls the container test makes, each bounded.</summary>
internal sealed class Docker(string repositoryRoot)
{
    private static readonly TimeSpan ShortTimeout = TimeSpan.FromSeconds(60);

    public Task<CommandResult> RunAsync(IEnumerable<string> arguments, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        CommandLine.RunAsync("docker", arguments, timeout ?? ShortTimeout, repositoryRoot, cancellationToken: cancellationToken);

    /// <summary>Runs a command that must succeed; throws with its error output otherwise.</summary>
    public async Task<string> RequireAsync(IEnumerable<string> arguments, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var list = arguments.ToList();
        var result = await RunAsync(list, timeout, cancellationToken);
        return result.Succeeded
            ? result.Output.Trim()
            : throw new InvalidOperationException($"`docker {string.Join(' ', list)}` failed with exit code {result.ExitCode}: {result.Error.Trim()}");
    }

    /// <summary>Starts a detached container on the host network, removing a leftover of the same name first.</summary>
    public async Task StartAsync(string name, string image, IReadOnlyDictionary<string, string> environment, IEnumerable<string>? command = null, CancellationToken cancellationToken = default)
    {
        await RemoveAsync(name, cancellationToken);
        var arguments = new List<string> { "run", "-d", "--name", name, "--network", "host" };
        foreach (var (key, value) in environment)
        {
            arguments.Add("-e");
            arguments.Add(key + "=" + value);
        }

        arguments.Add(image);
        arguments.AddRange(command ?? []);
        await RequireAsync(arguments, cancellationToken: cancellationToken);
    }

    /// <summary>Sends the stop signal (the image's STOPSIGNAL), waits up to the grace period, then SIGKILL: as the platform does.</summary>
    /// <returns>How long the stop took and the container's exit code.</returns>
    public async Task<(TimeSpan Elapsed, int ExitCode)> StopAsync(string name, int gracePeriodSeconds, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(["stop", "-t", gracePeriodSeconds.ToString(CultureInfo.InvariantCulture), name], TimeSpan.FromSeconds(gracePeriodSeconds + 60), cancellationToken);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"`docker stop {name}` failed: {result.Error.Trim()}");
        }

        return (result.Elapsed, int.Parse(await InspectAsync(name, "{{.State.ExitCode}}", cancellationToken), CultureInfo.InvariantCulture));
    }

    public Task<string> InspectAsync(string name, string format, CancellationToken cancellationToken = default) =>
        RequireAsync(["inspect", "-f", format, name], cancellationToken: cancellationToken);

    public async Task<string> LogsAsync(string name, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(["logs", name], cancellationToken: cancellationToken);
        return result.Output + result.Error;
    }

    public async Task RemoveAsync(string name, CancellationToken cancellationToken = default)
    {
        // A container of that name may not exist; that is fine.
        await RunAsync(["rm", "-f", "-v", name], cancellationToken: cancellationToken);
    }
}
