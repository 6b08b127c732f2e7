using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using EdgeStack.Contracts;

// edgestack-probe [path]: GET <path> (default the liveness endpoint) from the function in this container, on 127.0.0.1 at
// the first port of ASPNETCORE_HTTP_PORTS (';'- or ','-separated, as ASP.NET Core reads it; 8080 when unset). Exit 0 on
// 200, 1 on any other answer, a refused connection or no answer within the timeout; the reason goes to stdout, which
// `docker inspect` shows as the health check's output.
var path = args.Length > 0 ? args[0] : Routes.Liveness;
var ports = Environment.GetEnvironmentVariable(SettingNames.HttpPorts);
var first = string.IsNullOrWhiteSpace(ports) ? "8080" : ports.Split([';', ','], StringSplitOptions.TrimEntries)[0];
if (!ushort.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port == 0)
{
    Console.WriteLine($"edgestack-probe: {SettingNames.HttpPorts}='{ports}' does not start with a port number");
    return 2;
}

using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
try
{
    using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), timeout.Token);
    await socket.SendAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n"), timeout.Token);

    // The status line is all it reads: "HTTP/1.1 200 OK".
    var buffer = new byte[128];
    var read = 0;
    while (read < buffer.Length && Array.IndexOf(buffer, (byte)'\n', 0, read) < 0)
    {
        var n = await socket.ReceiveAsync(buffer.AsMemory(read), timeout.Token);
        if (n == 0)
        {
            break;
        }

        read += n;
    }

    var statusLine = Encoding.ASCII.GetString(buffer, 0, read).Split('\n')[0].TrimEnd('\r');
    var parts = statusLine.Split(' ');
    Console.WriteLine($"edgestack-probe: GET {path} on port {port}: {statusLine}");
    return parts.Length > 1 && parts[1] == "200" ? 0 : 1;
}
catch (Exception exception) when (exception is SocketException or OperationCanceledException)
{
    Console.WriteLine($"edgestack-probe: GET {path} on port {port}: {(exception is OperationCanceledException ? "no answer within 2 s" : exception.Message)}");
    return 1;
}
