namespace EdgeStack.Reliability.Tests;

/// <summary>The log event ids the scenarios wait on and count (see the Log classes of the runtime, the Azure wiring and the apps).</summary>
internal static class Events
{
    public const string RuntimeCategory = "EdgeStack.Runtime";

    public const int TaskFailed = 1;
    public const int DrainCompleted = 5;
    public const int TaskHandedOff = 9;
    public const int BeforeUnloadRaised = 14;
    public const int WorkPoisoned = 101;
    public const int WorkRetryScheduled = 102;
    public const int ReceiveFailed = 104;
    public const int WorkReceived = 105;
    public const int AnalyticsEventsDropped = 106;
    public const int AnalyticsSendFailed = 107;
    public const int UploadAccepted = 200;
    public const int UploadCompleted = 202;
    public const int UploadAlreadyDone = 203;
    public const int ReportCompleted = 222;

    /// <summary>The runtime's BeforeUnload line (id 14 is also Microsoft.Hosting.Lifetime's "Now listening").</summary>
    public static bool IsBeforeUnload(EdgeStack.Testing.LogLine line) => line.EventId == BeforeUnloadRaised && line.Category == RuntimeCategory;
}
