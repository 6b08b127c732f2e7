using System.Text.Json;
using EdgeStack.Contracts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace EdgeStack.Runtime.Tests;

/// <summary>What <c>AddEdgeRuntime</c> wires: options checked at start, the soft limits, JSON console logs in a container.</summary>
/// <remarks>Alone in its collection: two tests set DOTNET_RUNNING_IN_CONTAINER, which every app built meanwhile would read.</remarks>
[Collection(ProcessWideState.Name)]
public sealed class EdgeRuntimeHostApplicationBuilderExtensionsTests
{
    private const string InContainer = "DOTNET_RUNNING_IN_CONTAINER";
    private static readonly string JsonConsole = SettingNames.RuntimeSection + ":" + nameof(EdgeRuntimeOptions.JsonConsole);
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    [Fact]
    public void AddEdgeRuntime_NoBuilder_IsRefused()
    {
        Assert.Throws<ArgumentNullException>("builder", () => EdgeRuntimeHostApplicationBuilderExtensions.AddEdgeRuntime(null!));
    }

    [Fact]
    public void AddEdgeRuntime_Configure_ChangesTheOptionsAfterBinding()
    {
        var builder = NewBuilder((SettingNames.TaskTimeoutSeconds, "10"));

        builder.AddEdgeRuntime(options => options.TaskTimeoutSeconds = 42);
        using var host = builder.Build();

        Assert.Equal(42, host.Services.GetRequiredService<IOptions<EdgeRuntimeOptions>>().Value.TaskTimeoutSeconds);
    }

    [Fact]
    public void AddEdgeRuntime_ConfigureBreaksTheGraceChain_TheAppDoesNotBuildAndTheErrorNamesTheSettings()
    {
        var builder = NewBuilder();

        builder.AddEdgeRuntime(options => options.DrainBudgetSeconds = 28);

        // The host reads its shutdown timeout from the runtime's options when it is built, which validates them.
        var error = Assert.Throws<OptionsValidationException>(() => builder.Build());

        Assert.Contains("EdgeRuntime:DrainBudgetSeconds (28) < EdgeRuntime:ShutdownTimeoutSeconds (27)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddEdgeRuntime_WallClockLimitReached_RetiresTheInstanceWithWallClock()
    {
        var time = new FakeTimeProvider();
        var builder = NewBuilder((SettingNames.WallClockLimitSeconds, "5"));
        builder.AddEdgeRuntime();
        builder.Services.AddSingleton<TimeProvider>(time);
        using var host = builder.Build();
        var runtime = host.Services.GetRequiredService<IEdgeRuntime>();
        var raised = new TaskCompletionSource<BeforeUnloadEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        runtime.BeforeUnload += (_, e) => raised.TrySetResult(e);
        await host.StartAsync();

        // The monitor runs on the thread pool (BackgroundService since .NET 10), so it may read the clock and arm its
        // check timer only after StartAsync returns: move the clock a check interval at a time until it retires.
        var advanced = TimeSpan.Zero;
        var deadline = DateTime.UtcNow + Hang;
        while (!raised.Task.IsCompleted && DateTime.UtcNow < deadline)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            advanced += TimeSpan.FromSeconds(1);
            await Task.WhenAny(raised.Task, Task.Delay(20));
        }

        var args = await raised.Task.WaitAsync(TimeSpan.Zero);

        Assert.Equal("wall_clock", args.ReasonName);
        Assert.True(advanced >= TimeSpan.FromSeconds(5), $"retired after {advanced.TotalSeconds} s of a 5 s limit");
        Assert.False(runtime.IsReady);
        await host.StopAsync();
    }

    [Fact]
    public void AddEdgeRuntime_JsonConsoleOn_LogsJsonLinesWithAUtcTimestamp()
    {
        using var env = new EnvironmentVariable(InContainer, null);
        var builder = NewBuilder((JsonConsole, "true"));

        builder.AddEdgeRuntime();
        using var host = builder.Build();

        var line = Format(host);
        using var json = JsonDocument.Parse(line);
        var timestamp = json.RootElement.GetProperty("Timestamp").GetString();
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", timestamp);
        Assert.Equal(11, json.RootElement.GetProperty("EventId").GetInt32());

        // The Z holds in any time zone only because the formatter takes UTC.
        Assert.True(host.Services.GetRequiredService<IOptionsMonitor<JsonConsoleFormatterOptions>>().CurrentValue.UseUtcTimestamp);
        Assert.IsType<ConsoleLoggerProvider>(Assert.Single(host.Services.GetServices<ILoggerProvider>()));
    }

    [Fact]
    public void AddEdgeRuntime_InAContainerWithoutTheSetting_LogsJson()
    {
        using var env = new EnvironmentVariable(InContainer, "true");
        var builder = NewBuilder();

        builder.AddEdgeRuntime();
        using var host = builder.Build();

        Assert.Equal(ConsoleFormatterNames.Json, ConsoleOptions(host).FormatterName);
    }

    [Fact]
    public void AddEdgeRuntime_InAContainerWithJsonConsoleOff_KeepsThePlainConsole()
    {
        using var env = new EnvironmentVariable(InContainer, "true");
        var builder = NewBuilder((JsonConsole, "false"));

        builder.AddEdgeRuntime();
        using var host = builder.Build();

        Assert.NotEqual(ConsoleFormatterNames.Json, ConsoleOptions(host).FormatterName);
    }

    [Fact]
    public void AddEdgeRuntime_OutsideAContainerWithoutTheSetting_KeepsThePlainConsole()
    {
        using var env = new EnvironmentVariable(InContainer, null);
        var builder = NewBuilder();

        builder.AddEdgeRuntime();
        using var host = builder.Build();

        Assert.NotEqual(ConsoleFormatterNames.Json, ConsoleOptions(host).FormatterName);
    }

    private static ConsoleLoggerOptions ConsoleOptions(IHost host) =>
        host.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue;

    /// <summary>One log record as the console would write it.</summary>
    private static string Format(IHost host)
    {
        var name = ConsoleOptions(host).FormatterName;
        var formatter = host.Services.GetServices<ConsoleFormatter>().Single(f => f.Name == name);
        using var writer = new StringWriter();
        var entry = new LogEntry<string>(LogLevel.Information, "EdgeStack.Runtime", new EventId(11, "Retiring"), "Retiring the instance: memory.", null, (state, _) => state);
        formatter.Write(entry, new LoggerExternalScopeProvider(), writer);
        return writer.ToString();
    }

    private static HostApplicationBuilder NewBuilder(params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)));
        return builder;
    }

    /// <summary>Sets an environment variable for one test and puts back what it was.</summary>
    private sealed class EnvironmentVariable : IDisposable
    {
        private readonly string _name;
        private readonly string? _before;

        public EnvironmentVariable(string name, string? value)
        {
            _name = name;
            _before = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, value);
        }

        public void Dispose() => Environment.SetEnvironmentVariable(_name, _before);
    }
}
