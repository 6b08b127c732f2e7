using System.Text.Json;
using System.Text.RegularExpressions;
using EdgeStack.Runtime;
using Microsoft.Extensions.Options;

namespace EdgeStack.Functions.FunctionPascal;

/// <summary>
/// Runs the function-name function's durable work: here where it was accepted, or in any instance of this function that
/// takes it from the function's work queue after a hand-off or a crash. It can run more than once: keep it idempotent.
/// </summary>
internal sealed partial class FunctionPascalHandler(IOptions<FunctionPascalOptions> options, TimeProvider time, ILogger<FunctionPascalHandler> logger) : IDurableWorkHandler
{
    /// <summary>The handler's name: declared in edgestack.json ("durableHandlers"), stored in every work item.</summary>
    public const string Name = "function-name";

    /// <summary>Why a work id is refused, or null.</summary>
    public static string? IdProblem(string? id) =>
        id is { Length: > 0 and <= 64 } && IdPattern().IsMatch(id) ? null : $"'{id}' is not a work id: use 1-64 letters, digits, '-' or '_'.";

    /// <inheritdoc />
    public async Task ExecuteAsync(DurableWorkItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        using var work = JsonDocument.Parse(item.Payload);
        var root = work.RootElement;
        var id = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("id", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        if (IdProblem(id) is { } problem)
        {
            // A bad item fails: it is retried, then moved to the poison queue with this reason.
            throw new FormatException(problem);
        }

        // Your durable work: observe the token, which fires at the task timeout or when drain hands the work back.
        await Task.Delay(TimeSpan.FromMilliseconds(options.Value.WorkDelayMilliseconds), time, cancellationToken);
        Log.WorkDone(logger, id!, item.Id);
    }

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex IdPattern();
}
