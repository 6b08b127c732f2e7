using System.Globalization;
using System.Text.Json;
using EdgeStack.Testing;

namespace EdgeStack.Functions.FunctionPascal.Tests;

/// <summary>Runs of the function-name function, each the built function as a real process, as its Container Apps Job starts it.</summary>
public sealed class FunctionPascalRunTests
{
    /// <summary>The function's log event ids (its Log class).</summary>
    private const int RunDone = 300;
    private const int FollowUpDone = 301;

    private static readonly TimeSpan s_hang = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Run_ExitsZeroAndLogsWhenItWasDone()
    {
        var before = DateTimeOffset.UtcNow;

        var (exitCode, logs) = await RunAsync();

        Assert.Equal(0, exitCode);
        var finishedAt = FinishedAt(Assert.Single(logs, l => l.EventId == RunDone));
        Assert.InRange(finishedAt, before, DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task Run_WaitUntilFollowUp_IsDoneBeforeTheProcessExits()
    {
        var (exitCode, logs) = await RunAsync();

        Assert.Equal(0, exitCode);
        var followUp = Assert.Single(logs, l => l.EventId == FollowUpDone);
        Assert.Equal(FinishedAt(logs.Single(l => l.EventId == RunDone)), FinishedAt(followUp));
    }

    private static async Task<(int ExitCode, IReadOnlyList<LogLine> Logs)> RunAsync()
    {
        await using var job = await FunctionProcess.StartAsync(FunctionApps.AssemblyPath("function-name"), new Dictionary<string, string?>(), waitUntilReady: false);
        var exitCode = await job.WaitForExitAsync(s_hang);
        if (exitCode != 0)
        {
            // The run's output explains a failure the assertions then report.
            Console.WriteLine(string.Join(Environment.NewLine, job.Output));
        }

        return (exitCode, job.Logs.ToList());
    }

    private static DateTimeOffset FinishedAt(LogLine line)
    {
        using var document = JsonDocument.Parse(line.Raw);
        var value = document.RootElement.GetProperty("State").GetProperty("FinishedAt").GetString();
        return DateTimeOffset.Parse(value!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
    }
}
