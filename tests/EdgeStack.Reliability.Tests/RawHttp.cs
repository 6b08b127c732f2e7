using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EdgeStack.Reliability.Tests;

/// <summary>Sends bytes exactly as given over a fresh loopback connection and reads the status line: requests no HTTP client would send.</summary>
internal static class RawHttp
{
    /// <summary>
    /// Returns the status code and body, or a null status when no answer came; <c>Hung</c> says the server neither
    /// answered nor closed the connection within 20 s.
    /// </summary>
    public static async Task<(int? Status, string Body, bool Hung)> SendAsync(int port, byte[] request, bool halfClose, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), timeout.Token);
        try
        {
            await socket.SendAsync(request, SocketFlags.None, timeout.Token);
            if (halfClose)
            {
                socket.Shutdown(SocketShutdown.Send);
            }
        }
        catch (SocketException)
        {
            // The server may answer and close before it has read everything (413, 431): read what it said.
        }

        var received = new MemoryStream();
        var hung = false;
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (SocketException)
        {
            // Reset after the answer: keep what arrived.
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Kept open past the answer, what arrived is enough; kept open with no answer at all is a hang.
            hung = received.Length == 0;
        }

        var text = Encoding.UTF8.GetString(received.ToArray());

        // Interim answers (100 Continue) come before the real one.
        while (text.StartsWith("HTTP/1.1 1", StringComparison.Ordinal) && text.IndexOf("\r\n\r\n", StringComparison.Ordinal) is var end and > 0)
        {
            text = text[(end + 4)..];
        }
        if (!text.StartsWith("HTTP/1.", StringComparison.Ordinal) || text.Length < 12 || !int.TryParse(text.AsSpan(9, 3), out var status))
        {
            return (null, text, hung);
        }

        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return (status, split < 0 ? "" : text[(split + 4)..], false);
    }
}
