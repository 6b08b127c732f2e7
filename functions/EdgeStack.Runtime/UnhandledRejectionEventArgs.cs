namespace EdgeStack.Runtime;

/// <summary>Carries a background task's failure; set <see cref="Handled"/> to keep the runtime from reporting it.</summary>
/// <param name="exception">The exception the task faulted with.</param>
/// <param name="taskName">The name the task was scheduled with, if any.</param>
public sealed class UnhandledRejectionEventArgs(Exception exception, string? taskName) : EventArgs
{
    /// <summary>Gets the exception the task faulted with.</summary>
    public Exception Exception { get; } = exception;

    /// <summary>Gets the name the task was scheduled with, or <see langword="null"/>.</summary>
    public string? TaskName { get; } = taskName;

    /// <summary>Gets or sets whether a handler dealt with the failure, like <c>preventDefault()</c>; unhandled failures are logged as errors.</summary>
    public bool Handled { get; set; }
}
