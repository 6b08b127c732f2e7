using Microsoft.Extensions.Options;

namespace EdgeStack.Azure.Internal;

/// <summary>Refuses to start a function with durable work whose name cannot name its own queues.</summary>
internal sealed class DurableWorkFunctionNameValidator : IValidateOptions<FunctionOptions>
{
    public ValidateOptionsResult Validate(string? name, FunctionOptions options) =>
        FunctionQueueNames.Problem(options.Name) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}
