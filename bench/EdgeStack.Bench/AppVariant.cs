using EdgeStack.Contracts;

namespace EdgeStack.Bench;

/// <summary>One way of running a server under test: the command, its arguments and its environment.</summary>
/// <param name="Name">The name in tables and charts.</param>
/// <param name="FileName">The program to start (<c>dotnet</c>, <c>node</c> or a Native AOT executable).</param>
/// <param name="Arguments">Its arguments.</param>
/// <param name="Environment">Extra environment variables.</param>
/// <param name="WorkingDirectory">Where it runs; the folder of its first argument by default.</param>
internal sealed record AppVariant(string Name, string FileName, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Environment, string? WorkingDirectory = null)
{
    /// <summary>The key the bench gives the <c>hello</c> function (its key check stays on, as shipped).</summary>
    public const string HelloKey = "bench-hello-key-0123456789abcdef0123";

    /// <summary>Gets the <c>Authorization</c> header value every request to this variant carries, or null.</summary>
    public string? Authorization { get; init; }

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

    /// <summary>The shipped <c>hello</c> function as <c>dotnet hello.dll</c> (its Release build), key check on, analytics off unless <paramref name="analyticsEndpoint"/> is given.</summary>
    public static AppVariant Hello(BenchOptions options, string name, Uri? analyticsEndpoint = null, string? analyticsKey = null, IReadOnlyDictionary<string, string>? environment = null) =>
        new(name, "dotnet", [Path.Combine(options.RepositoryRoot, "functions", "hello", "bin", "Release", "net10.0", "hello.dll")], HelloEnvironment(analyticsEndpoint, analyticsKey, environment))
        {
            Authorization = "Bearer " + HelloKey,
        };

    /// <summary>The shipped <c>hello</c> function published Native AOT by run.sh, or null where that build is missing.</summary>
    public static AppVariant? HelloNativeAot(BenchOptions options, string name, Uri? analyticsEndpoint = null, string? analyticsKey = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var executable = Path.Combine(options.HelloAotDirectory, "hello");
        return File.Exists(executable)
            ? new(name, executable, [], HelloEnvironment(analyticsEndpoint, analyticsKey, environment), options.HelloAotDirectory) { Authorization = "Bearer " + HelloKey }
            : null;
    }

    public static AppVariant Node(BenchOptions options) =>
        new("node http", "node", [Path.Combine(options.RepositoryRoot, "bench", "node", "server.js")], new Dictionary<string, string>());

    private static Dictionary<string, string> HelloEnvironment(Uri? analyticsEndpoint, string? analyticsKey, IReadOnlyDictionary<string, string>? environment)
    {
        var env = new Dictionary<string, string>(environment ?? new Dictionary<string, string>())
        {
            [SettingNames.ToEnvironmentVariable(SettingNames.FunctionName)] = "hello",
            [SettingNames.ToEnvironmentVariable(SettingNames.FunctionKey)] = HelloKey,
        };
        if (analyticsEndpoint is not null)
        {
            env[SettingNames.ToEnvironmentVariable(SettingNames.AnalyticsEndpoint)] = analyticsEndpoint.ToString().TrimEnd('/');
            env[SettingNames.ToEnvironmentVariable(SettingNames.AnalyticsKey)] = analyticsKey ?? throw new ArgumentNullException(nameof(analyticsKey));
        }

        return env;
    }
}
