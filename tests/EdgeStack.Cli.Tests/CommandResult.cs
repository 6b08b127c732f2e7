namespace EdgeStack.Cli.Tests;

/// <summary>What a finished process printed and how it exited.</summary>
public sealed record CommandResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}{Environment.NewLine}{Output}{Environment.NewLine}{Error}";
}
