using EdgeStack.Blueprint;
using EdgeStack.Plan;

// ./edgestack plan [--stack dev] [--write]: the stack's plan under Pulumi's mock engine, no cloud account needed.
var usage = ReadUsage();

var stack = "dev";
var write = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--stack" when i + 1 < args.Length:
            stack = args[++i];
            break;
        case "--write":
            write = true;
            break;
        case "-h" or "--help":
            Console.Write(usage);
            return 0;
        default:
            Console.Error.WriteLine($"edgestack plan: unknown argument '{args[i]}'.\n{usage}");
            return 2;
    }
}

var root = FunctionManifest.FindRepositoryRoot(Environment.CurrentDirectory);
try
{
    var (entries, json) = await StackPlanRun.RunAsync(root, stack);
    foreach (var entry in entries)
    {
        Console.WriteLine(entry.ToLine());
    }

    var scratch = Path.Combine(root, ".edgestack", $"plan-{stack}.json");
    Directory.CreateDirectory(Path.GetDirectoryName(scratch)!);
    await File.WriteAllTextAsync(scratch, json);
    Console.WriteLine($"plan: {entries.Count} resources, written to {Path.GetRelativePath(root, scratch)}");
    if (write)
    {
        var committed = StackPlanRun.CommittedPlanPath(root, stack);
        Directory.CreateDirectory(Path.GetDirectoryName(committed)!);
        await File.WriteAllTextAsync(committed, json);
        Console.WriteLine($"plan: updated {Path.GetRelativePath(root, committed)}");
    }

    return 0;
}
catch (Exception exception) when (exception is FileNotFoundException or InvalidOperationException or Pulumi.RunException)
{
    Console.Error.WriteLine($"edgestack plan: {exception.Message}");
    return 1;
}

// The usage text is the file the launcher prints for ./edgestack plan --help without building: one copy.
static string ReadUsage()
{
    using var stream = typeof(StackPlanRun).Assembly.GetManifestResourceStream("EdgeStack.Plan.usage.txt")
        ?? throw new InvalidOperationException("The plan tool's usage text is not embedded.");
    using var reader = new StreamReader(stream);
    return reader.ReadToEnd();
}
