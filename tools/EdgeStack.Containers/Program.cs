using EdgeStack.Blueprint;
using EdgeStack.Containers;

// ./edgestack compose [--check]: docker-compose.yml from the declarations (or whether the committed one matches them).
// base-images: the images functions/Dockerfile starts FROM (build arguments at their defaults), one a line.
// ./edgestack containers (after the engine and base images are there): builds every image, tests the containers, prints the figures.
try
{
    switch (args.FirstOrDefault())
    {
        case "compose":
            return Compose(args.Skip(1).ToList());
        case "base-images":
            // For the launcher, which gets these images (or their stand-ins) before it builds any.
            var dockerfile = Path.Combine(FunctionManifest.FindRepositoryRoot(Environment.CurrentDirectory), StackPlanner.Dockerfile);
            foreach (var image in DockerfileBaseImages.Read(await File.ReadAllTextAsync(dockerfile)).Distinct(StringComparer.Ordinal))
            {
                Console.WriteLine(image);
            }

            return 0;
        case "test":
            var options = ContainerTestOptions.Parse(args.Skip(1).ToList(), Environment.CurrentDirectory);
            var report = new Report(Console.Out);
            using (var stop = new CancellationTokenSource())
            using (var test = new ContainerTest(options, report))
            {
                Console.CancelKeyPress += (_, e) =>
                {
                    e.Cancel = true;
                    stop.Cancel();
                };
                await test.RunAsync(stop.Token);
            }

            report.PrintSummary();
            return report.Failed == 0 ? 0 : 1;
        default:
            await Console.Error.WriteLineAsync("usage: EdgeStack.Containers compose [--check] | base-images | test [--port-base N] [--azurite-port-base N] [--compose COMMAND] [--burst N] [--no-cache]");
            return 2;
    }
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync("containers: " + e.Message);
    return 2;
}
catch (OperationCanceledException e)
{
    // Ctrl-C or the launcher's time limit (SIGINT), or a request that timed out; the containers were removed on the way out.
    await Console.Error.WriteLineAsync("containers: stopped: " + e.Message);
    return 1;
}
catch (Exception e) when (e is InvalidOperationException or TimeoutException or DirectoryNotFoundException or IOException or Azure.RequestFailedException)
{
    await Console.Error.WriteLineAsync("containers: " + e.Message);
    return 1;
}

static int Compose(IReadOnlyList<string> args)
{
    var check = args.Count == 1 && args[0] == "--check";
    if (args.Count > (check ? 1 : 0))
    {
        throw new ArgumentException($"Unknown option '{args[0]}'. Options: --check (compare the committed {ComposeFile.FileName} with the declarations).");
    }

    var root = FunctionManifest.FindRepositoryRoot(Environment.CurrentDirectory);
    var path = Path.Combine(root, ComposeFile.FileName);
    var text = ComposeFile.Render(FunctionManifest.Discover(root));
    if (!check)
    {
        File.WriteAllText(path, text);
        Console.WriteLine($"compose: wrote {ComposeFile.FileName} ({ComposeFile.Served(FunctionManifest.Discover(root)).Count} functions and Azurite)");
        return 0;
    }

    if (File.Exists(path) && File.ReadAllText(path) == text)
    {
        Console.WriteLine($"compose: {ComposeFile.FileName} matches the declarations");
        return 0;
    }

    Console.Error.WriteLine($"compose: {ComposeFile.FileName} does not match functions/*/edgestack.json; run ./edgestack compose and commit it");
    return 1;
}
