using System.Diagnostics;
using System.Globalization;

namespace EdgeStack.Bench;

/// <summary>Runs wrk against a loopback URL and reads its summary and the latency lines of <c>bench/wrk/percentiles.lua</c>.</summary>
internal sealed class Wrk(BenchOptions options)
{
    private readonly string _script = Path.Combine(options.RepositoryRoot, "bench", "wrk", "percentiles.lua");

    public static string Version()
    {
        var (output, _) = RunToEnd("wrk", ["-v"]);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim() ?? "wrk";
    }

    public async Task<WrkResult> RunAsync(Uri url, TimeSpan duration, int connections, string? header = null)
    {
        if (!url.IsLoopback)
        {
            throw new ArgumentException("Load goes to loopback only.", nameof(url));
        }

        var seconds = Math.Max(1, (int)duration.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        List<string> args = ["-t2", $"-c{connections.ToString(CultureInfo.InvariantCulture)}", $"-d{seconds}s", "--latency", "--timeout", "10s", "-s", _script];
        if (header is not null)
        {
            args.AddRange(["-H", header]);
        }

        args.Add(url.ToString());
        var (output, code) = await Task.Run(() => RunToEnd("wrk", args));
        if (code != 0)
        {
            throw new InvalidOperationException($"wrk exited with code {code}: {output}");
        }

        return Parse(output);
    }

    internal static WrkResult Parse(string output)
    {
        var latency = new SortedDictionary<double, double>();
        double rps = 0;
        long requests = 0, errors = 0, non2xx = 0;
        foreach (var raw in output.Split('\n'))
        {
            var line = raw.Trim();
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (line.StartsWith("PCT ", StringComparison.Ordinal))
            {
                latency[double.Parse(parts[1], CultureInfo.InvariantCulture)] = double.Parse(parts[2], CultureInfo.InvariantCulture) / 1000.0;
            }
            else if (line.StartsWith("SUMMARY ", StringComparison.Ordinal))
            {
                requests = long.Parse(parts[1], CultureInfo.InvariantCulture);
                errors = long.Parse(parts[3], CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("Requests/sec:", StringComparison.Ordinal))
            {
                rps = double.Parse(parts[1], CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("Non-2xx or 3xx responses:", StringComparison.Ordinal))
            {
                non2xx = long.Parse(parts[^1], CultureInfo.InvariantCulture);
            }
        }

        if (rps == 0 || !latency.ContainsKey(50) || !latency.ContainsKey(99))
        {
            throw new InvalidOperationException($"Could not read wrk's output:\n{output}");
        }

        return new WrkResult(rps, requests, errors + non2xx, latency);
    }

    internal static (string Output, int ExitCode) RunToEnd(string fileName, IEnumerable<string> args, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(fileName, args)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Directory.GetCurrentDirectory(),
        };
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (stdout + stderr.GetAwaiter().GetResult(), process.ExitCode);
    }
}
