namespace EdgeStack.Runtime.Tests;

/// <summary>Tests that read or change what the whole process shares (<see cref="EdgeRuntime"/>'s current runtime, environment variables) run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideState
{
    public const string Name = "Process-wide state";
}
