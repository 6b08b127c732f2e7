using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using EdgeStack.Contracts;

namespace EdgeStack.Bench;

/// <summary>
/// Row 9: the <c>hello</c> image built from <c>functions/Dockerfile</c> — its size, and container start (<c>docker run</c>)
/// to the first 200 — where a Docker engine answers; otherwise the row says it was not measured.
/// </summary>
internal sealed class ContainerComparison(BenchOptions options)
{
    private const string Image = "edgestack-bench-hello:latest";
    private const string Scenario = "`hello` image: size; container start → first 200";
    private const string Target = "≤ 120 MB; start reported";

    public async Task<Section> RunAsync()
    {
        var (version, engine) = Docker(["info", "--format", "{{.ServerVersion}}, storage driver {{.Driver}}"]);
        if (engine != 0)
        {
            return NotMeasured("no engine (`docker info` failed; `/work/shared/containers/start-docker.sh` starts one where Docker is installed)");
        }

        // The classic builder on host networking works on every engine this project meets (see docs/containers and ./edgestack containers).
        Console.WriteLine("  building the hello image from functions/Dockerfile");
        var built = Stopwatch.GetTimestamp();
        var (buildOutput, buildCode) = await Task.Run(() => Docker(["build", "--network", "host", "-f", "functions/Dockerfile", "--build-arg", "APP=hello", "-t", Image, "."]));
        if (buildCode != 0)
        {
            return NotMeasured("the image did not build: " + buildOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault());
        }

        var buildSeconds = Stopwatch.GetElapsedTime(built).TotalSeconds;
        var (sizeText, _) = Docker(["image", "inspect", "-f", "{{.Size}}", Image]);
        var sizeMb = long.Parse(sizeText.Trim(), CultureInfo.InvariantCulture) / 1024.0 / 1024.0;
        var (baseImage, _) = Docker(["image", "inspect", "-f", "{{index .Config.Labels \"org.edgestack.stand-in\"}}", Image]);
        var standIn = baseImage.Trim() == "true";

        // One unmeasured start warms the image's layers, as on a node that already pulled it.
        var starts = new List<double>();
        for (var run = 0; run <= options.ColdStartRuns; run++)
        {
            var ms = await StartOnceAsync(run);
            if (run > 0)
            {
                starts.Add(ms);
            }
        }

        var start = Stats.Of(starts);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  image {sizeMb:0.0} MB; container start → first 200 {start.Format("0.0")} ms"));
        var text = new StringBuilder();
        text.AppendLine("## Row 9: the `hello` container image");
        text.AppendLine();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"`docker build -f functions/Dockerfile --build-arg APP=hello` (engine {version.Trim()}, built in {buildSeconds:0} s{(standIn ? "; base images are this machine's local stand-ins for the official ones (`/work/shared/containers/make-base-images.sh`), so the size is indicative" : string.Empty)}). Size: `docker image inspect` `.Size`. Start: from just before `docker run -d --network host` is spawned to the first `200` on `GET /` (key sent), polled every 2 ms; {options.ColdStartRuns} runs after one unmeasured start, each container removed after."));
        text.AppendLine();
        text.Append(Markdown.Table(
            ["what", "measured"],
            [
                ["image size", string.Create(CultureInfo.InvariantCulture, $"{sizeMb:0.0} MB")],
                ["container start → first 200, ms", start.Format("0.0")],
            ]));
        text.AppendLine();
        SummaryRow[] rows =
        [
            new(9, Scenario, Target,
                string.Create(CultureInfo.InvariantCulture, $"{sizeMb:0.0} MB{(standIn ? " (stand-in base)" : string.Empty)}; start {start.Median:0.0} ms"),
                "—", "—", sizeMb <= 120),
        ];
        return new Section(rows, text.ToString());
    }

    private async Task<double> StartOnceAsync(int run)
    {
        var port = AppProcess.FreePort();
        var name = string.Create(CultureInfo.InvariantCulture, $"edgestack-bench-hello-{Environment.ProcessId}-{run}");
        var request = AppProcess.PollRequest("/", "Bearer " + AppVariant.HelloKey);
        var started = Stopwatch.GetTimestamp();
        var (output, code) = Docker(
        [
            "run", "-d", "--rm", "--network", "host", "--name", name,
            "-e", string.Create(CultureInfo.InvariantCulture, $"{SettingNames.HttpPorts}={port}"),
            "-e", $"{SettingNames.ToEnvironmentVariable(SettingNames.FunctionName)}=hello",
            "-e", $"{SettingNames.ToEnvironmentVariable(SettingNames.FunctionKey)}={AppVariant.HelloKey}",
            Image,
        ]);
        try
        {
            if (code != 0)
            {
                throw new InvalidOperationException($"docker run failed: {output}");
            }

            while (Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(60))
            {
                if (await AppProcess.TryGetOkAsync(port, request))
                {
                    return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                }

                await Task.Delay(2);
            }

            throw new TimeoutException($"No 200 from the hello container on port {port} within 60 s.");
        }
        finally
        {
            Docker(["rm", "-f", name]);
        }
    }

    private (string Output, int ExitCode) Docker(IEnumerable<string> args)
    {
        try
        {
            return Wrk.RunToEnd("docker", args, options.RepositoryRoot);
        }
        catch (Win32Exception exception)
        {
            return ($"docker: {exception.Message}", -1);
        }
    }

    private static Section NotMeasured(string why)
    {
        Console.WriteLine("  row 9 not measured: " + why);
        SummaryRow[] rows = [new(9, Scenario, Target, "not measured: " + why, "—", "—", null)];
        return new Section(rows, "## Row 9: the `hello` container image\n\nNot measured: " + why + ".\n\n");
    }
}
