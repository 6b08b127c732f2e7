namespace EdgeStack.Bench;

/// <summary>One way of running a server under test: the command, its arguments and its environment.</summary>
/// <param name="Name">The name in tables and charts.</param>
/// <param name="FileName">The program to start (<c>dotnet</c> or <c>node</c>).</param>
/// <param name="Arguments">Its arguments.</param>
/// <param name="Environment">Extra environment variables.</param>
/// <param name="WorkingDirectory">Where it runs; the folder of its first argument by default.</param>
internal sealed record AppVariant(string Name, string FileName, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Environment, string? WorkingDirectory = null)
{
    /// <summary>The bench app in a mode, from the build output (<c>dotnet build -c Release</c>), as a container's <c>dotnet app.dll</c> runs it.</summary>
    public static AppVariant Dotnet(BenchOptions options, string name, string mode, string build = "Release/net10.0", IReadOnlyDictionary<string, string>? environment = null)
    {
        var env = new Dictionary<string, string>(environment ?? new Dictionary<string, string>()) { ["BENCH_MODE"] = mode };
        var dll = Path.Combine(options.AppsDirectory, build, "EdgeStack.Bench.Apps.dll");
        return new AppVariant(name, "dotnet", [dll], env);
    }

    /// <summary>The bench app in a mode, published with Native AOT by run.sh (bin/aot), or null where that build is missing.</summary>
    public static AppVariant? NativeAot(BenchOptions options, string name, string mode, IReadOnlyDictionary<string, string>? environment = null)
    {
        var directory = Path.Combine(options.AppsDirectory, "aot");
        var executable = Path.Combine(directory, "EdgeStack.Bench.Apps");
        if (!File.Exists(executable))
        {
            return null;
        }

        var env = new Dictionary<string, string>(environment ?? new Dictionary<string, string>()) { ["BENCH_MODE"] = mode };
        return new AppVariant(name, executable, [], env, directory);
    }

    public static AppVariant Node(BenchOptions options) =>
        new("node http", "node", [Path.Combine(options.RepositoryRoot, "bench", "node", "server.js")], new Dictionary<string, string>());
}
