using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using EdgeStack.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EdgeStack.Containers.Tests;

/// <summary>The images' HEALTHCHECK (functions/EdgeStack.Probe) against a real Kestrel, as the container runs it.</summary>
public sealed class ProbeTests : IAsyncLifetime
{
    private const string Draining = "/draining";
    private WebApplication? _app;
    private int _port;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapGet(Routes.Liveness, () => Results.Ok());
        _app.MapGet(Draining, () => Results.StatusCode(StatusCodes.Status503ServiceUnavailable));
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        _port = new Uri(address).Port;
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [Fact]
    public async Task Probe_LivenessAnswers200_ExitsZero()
    {
        var (exitCode, output) = await ProbeAsync(Port(_port));

        Assert.Equal(0, exitCode);
        Assert.Contains($"GET {Routes.Liveness} on port {_port}: HTTP/1.1 200", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_AnswerOtherThan200_ExitsOne()
    {
        var (exitCode, output) = await ProbeAsync(Port(_port), Draining);

        Assert.Equal(1, exitCode);
        Assert.Contains("503", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_PortList_AsksTheFirstPort()
    {
        using var other = Bound();

        Assert.Equal(0, (await ProbeAsync($"{_port};{PortOf(other)}")).ExitCode);
        Assert.Equal(1, (await ProbeAsync($"{PortOf(other)},{_port}")).ExitCode);
    }

    [Fact]
    public async Task Probe_NothingListens_ExitsOne()
    {
        // Bound but not listening: the connection is refused, as when the app has not started or has exited.
        using var closed = Bound();

        var (exitCode, output) = await ProbeAsync(Port(PortOf(closed)));

        Assert.Equal(1, exitCode);
        Assert.Contains($"on port {PortOf(closed)}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_ListenerThatNeverAnswers_ExitsOneWithinItsTimeout()
    {
        // The kernel accepts the connection (backlog); nothing reads or answers, as with a hung app.
        using var hung = Bound();
        hung.Listen();

        var (exitCode, output) = await ProbeAsync(Port(PortOf(hung)));

        Assert.Equal(1, exitCode);
        Assert.Contains("no answer", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http")]
    [InlineData("0")]
    [InlineData("70000")]
    public async Task Probe_PortsSettingNotAPort_ExitsTwoNamingTheSetting(string ports)
    {
        var (exitCode, output) = await ProbeAsync(ports);

        Assert.Equal(2, exitCode);
        Assert.Contains(SettingNames.HttpPorts, output, StringComparison.Ordinal);
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static int PortOf(Socket socket) => ((IPEndPoint)socket.LocalEndPoint!).Port;

    private static Socket Bound()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    private static async Task<(int ExitCode, string Output)> ProbeAsync(string ports, string? path = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "edgestack-probe.dll"));
        if (path is not null)
        {
            start.ArgumentList.Add(path);
        }

        start.Environment[SettingNames.HttpPorts] = ports;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await output + await error);
    }
}
