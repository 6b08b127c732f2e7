using System.Net;
using System.Net.Sockets;
using EdgeStack.Testing;

namespace EdgeStack.Serve.Tests;

/// <summary>
/// A repository of stand-in functions for serve to discover and start: each is the test app (<c>serve-testapp</c>)
/// copied under its name, with Azurite from the real repository.
/// </summary>
internal sealed class ScratchRepository : IDisposable
{
    public static readonly string Configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    public ScratchRepository()
    {
        Root = Directory.CreateTempSubdirectory("edgestack-scratch-").FullName;
        File.WriteAllText(Path.Combine(Root, "EdgeStack.sln"), string.Empty);
        Directory.CreateSymbolicLink(Path.Combine(Root, "node_modules"), Path.Combine(TestPaths.RepositoryRoot, "node_modules"));
        StateDirectory = Path.Combine(Root, ".edgestack");
    }

    public string Root { get; }

    public string StateDirectory { get; }

    /// <summary>
    /// Declares an HTTP function without a key whose build output is the test app under <paramref name="name"/>, with the
    /// function folder's <c>version.txt</c> beside it; its project "builds" (<c>dotnet build</c>) by copying them.
    /// </summary>
    public void AddFunction(string name)
    {
        var folder = Path.Combine(Root, "functions", name);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "edgestack.json"), """{ "kind": "http", "requireKey": false }""");
        File.WriteAllText(Path.Combine(folder, "version.txt"), "1");
        var app = Path.Combine(AppContext.BaseDirectory, "serve-testapp");
        File.WriteAllText(Path.Combine(folder, name + ".csproj"), $"""
            <Project DefaultTargets="Build">
              <PropertyGroup>
                <OutDir Condition="'$(OutDir)' == ''">bin/$(Configuration)/net10.0/</OutDir>
              </PropertyGroup>
              <Target Name="Restore" />
              <Target Name="Build">
                <Copy SourceFiles="{app}.dll;{app}.runtimeconfig.json;version.txt" DestinationFiles="$(OutDir){name}.dll;$(OutDir){name}.runtimeconfig.json;$(OutDir)version.txt" />
              </Target>
            </Project>
            """);
        var bin = Path.Combine(folder, "bin", Configuration, "net10.0");
        Directory.CreateDirectory(bin);
        File.Copy(app + ".dll", Path.Combine(bin, name + ".dll"));
        File.Copy(app + ".runtimeconfig.json", Path.Combine(bin, name + ".runtimeconfig.json"));
        File.Copy(Path.Combine(folder, "version.txt"), Path.Combine(bin, "version.txt"));
    }

    /// <summary>Starts serve on free ports for <paramref name="root"/> and waits until it printed its table.</summary>
    public static async Task<FunctionProcess> StartServeAsync(string root, string stateDirectory, IEnumerable<string>? arguments = null, IDictionary<string, string?>? environment = null, int? portBase = null)
    {
        portBase ??= FreeRun(6);
        var azurite = FreeRun(3);
        var serve = await FunctionProcess.StartAsync(
            TestPaths.AppAssembly("EdgeStack.Serve"),
            new Dictionary<string, string?>(environment ?? new Dictionary<string, string?>()) { ["DOTNET_ENVIRONMENT"] = "Production" },
            waitUntilReady: false,
            arguments: ["--port-base", $"{portBase}", "--azurite-port-base", $"{azurite}", "--state-dir", stateDirectory, "--configuration", Configuration, .. arguments ?? []],
            workingDirectory: root);
        await serve.WaitForLineAsync(l => l.StartsWith("manifest", StringComparison.Ordinal) || l.StartsWith("serve: ", StringComparison.Ordinal), StartTimeout);
        if (!serve.Output.Any(l => l.StartsWith("manifest", StringComparison.Ordinal)))
        {
            await serve.WaitForExitAsync(StartTimeout);
            await serve.DisposeAsync();
            throw new InvalidOperationException("serve did not start:" + Environment.NewLine + string.Join(Environment.NewLine, serve.Output));
        }

        return serve;
    }

    public Task<FunctionProcess> StartServeAsync(IEnumerable<string>? arguments = null, IDictionary<string, string?>? environment = null, int? portBase = null) =>
        StartServeAsync(Root, StateDirectory, arguments, environment, portBase);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A process that is being killed may still hold a file; the temp folder is cleaned by the OS.
        }
    }

    /// <summary>A run of <paramref name="count"/> consecutive loopback ports that are free now.</summary>
    public static int FreeRun(int count)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var start = Random.Shared.Next(20000, 60000);
            var listeners = new List<TcpListener>();
            try
            {
                for (var port = start; port < start + count; port++)
                {
                    var listener = new TcpListener(IPAddress.Loopback, port);
                    listeners.Add(listener);
                    listener.Start();
                }

                return start;
            }
            catch (SocketException)
            {
                // Taken; try another run.
            }
            finally
            {
                listeners.ForEach(l => l.Dispose());
            }
        }

        throw new InvalidOperationException($"No run of {count} free loopback ports found.");
    }
}
