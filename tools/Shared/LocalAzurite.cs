using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace EdgeStack.Tools;

/// <summary>
/// The local Azurite serve and run start: the repository's own (node_modules, from package-lock.json) on three ports of
/// 127.0.0.1 from a base, its data in the state folder. Linked into both tools so they start it one way.
/// </summary>
internal static class LocalAzurite
{
    /// <summary>Azurite's documented development account: a public, well-known key, never used in Azure.</summary>
    private const string DevAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The blob, queue and table ports from <paramref name="portBase"/>, with what each is for.</summary>
    public static IReadOnlyList<(int Port, string Service)> Ports(int portBase) =>
        [(portBase, "azurite blob"), (portBase + 1, "azurite queue"), (portBase + 2, "azurite table")];

    /// <summary>The connection string of the development account on the Azurite at <paramref name="portBase"/>.</summary>
    public static string ConnectionString(int portBase) => string.Create(
        CultureInfo.InvariantCulture,
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevAccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{portBase}/devstoreaccount1;" +
        $"QueueEndpoint=http://127.0.0.1:{portBase + 1}/devstoreaccount1;" +
        $"TableEndpoint=http://127.0.0.1:{portBase + 2}/devstoreaccount1;");

    /// <summary>The repository's Azurite executable.</summary>
    /// <exception cref="InvalidOperationException">It is not installed; the message says how to install it.</exception>
    public static string Executable(string repositoryRoot, string command)
    {
        var azurite = Path.Combine(repositoryRoot, "node_modules", ".bin", "azurite");
        return File.Exists(azurite)
            ? azurite
            : throw new InvalidOperationException($"Azurite is not installed at {azurite}; run `npm ci` in {repositoryRoot} (./edgestack {command} does).");
    }

    /// <summary>Azurite's arguments: loopback only, the three ports, the data folder under <paramref name="stateDirectory"/> (created).</summary>
    public static IReadOnlyList<string> Arguments(int portBase, string stateDirectory)
    {
        var data = DataFolder(stateDirectory);
        Directory.CreateDirectory(data);
        return
        [
            "--silent", "--disableTelemetry", "--skipApiVersionCheck", "--loose",
            "--blobHost", "127.0.0.1", "--blobPort", Text(portBase),
            "--queueHost", "127.0.0.1", "--queuePort", Text(portBase + 1),
            "--tableHost", "127.0.0.1", "--tablePort", Text(portBase + 2),
            "--location", data,
        ];
    }

    /// <summary>Where Azurite keeps its data in a state folder.</summary>
    public static string DataFolder(string stateDirectory) => Path.Combine(stateDirectory, "azurite");

    /// <summary>Waits until all three ports accept connections, at most a minute.</summary>
    /// <param name="portBase">The blob port.</param>
    /// <param name="exitCode">The started process's exit code once it has exited, else null: an early exit ends the wait with an error.</param>
    /// <param name="cancellationToken">Stops the wait.</param>
    public static async Task WaitUntilListeningAsync(int portBase, Func<int?> exitCode, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(StartTimeout);
        foreach (var (port, _) in Ports(portBase))
        {
            while (!await AcceptsAsync(port, deadline.Token))
            {
                if (exitCode() is { } code)
                {
                    throw new InvalidOperationException($"Azurite exited with code {code} before it listened on {port}.");
                }

                await Task.Delay(100, deadline.Token);
            }
        }
    }

    /// <summary>Whether something accepts connections on a loopback port.</summary>
    public static async Task<bool> AcceptsAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
