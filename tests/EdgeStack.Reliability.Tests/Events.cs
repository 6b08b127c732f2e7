using EdgeStack.Testing;

namespace EdgeStack.Reliability.Tests;

/// <summary>The log events the scenarios wait on and count (see the Log classes of the runtime, the Azure wiring and the apps), each by its logger's category and id.</summary>
internal static class Events
{
    private const string Runtime = "EdgeStack.Runtime";
    private const string Queue = "EdgeStack.Azure.AzureQueueDurableWorkQueue";
    private const string AnalyticsClient = "EdgeStack.Azure.Internal.AnalyticsClient";

    public static readonly LogEvent TaskFailed = new(Runtime, 1);
    public static readonly LogEvent BeforeUnloadRaised = new(Runtime, 14);
    public static readonly LogEvent WorkRetryScheduled = new(Queue, 102);
    public static readonly LogEvent WorkReceived = new(Queue, 105);
    public static readonly LogEvent AnalyticsEventsDropped = new(AnalyticsClient, 106);
    public static readonly LogEvent AnalyticsSendFailed = new(AnalyticsClient, 107);
    public static readonly LogEvent UploadCompleted = new("EdgeStack.Functions.Upload.UploadHandler", 202);
    public static readonly LogEvent UploadAlreadyDone = new("EdgeStack.Functions.Upload.UploadHandler", 203);
    public static readonly LogEvent ReportCompleted = new("EdgeStack.Functions.Worker.ReportHandler", 222);

    /// <summary>The runtime's BeforeUnload line (id 14 is also Microsoft.Hosting.Lifetime's "Now listening").</summary>
    public static bool IsBeforeUnload(LogLine line) => BeforeUnloadRaised.Matches(line);
}
