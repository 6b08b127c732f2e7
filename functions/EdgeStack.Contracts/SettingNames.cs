namespace EdgeStack.Contracts;

/// <summary>
/// The configuration keys every EdgeStack app reads, defined once: the runtime binds them and the
/// infrastructure plan writes them into each container's environment.
/// </summary>
/// <remarks>
/// Keys use the configuration path form (<c>Section:Name</c>); <see cref="ToEnvironmentVariable"/>
/// gives the form a container environment carries (<c>Section__Name</c>).
/// </remarks>
public static class SettingNames
{
    /// <summary>The configuration section of the runtime's options.</summary>
    public const string RuntimeSection = "EdgeRuntime";

    /// <summary>Seconds the platform waits after SIGTERM before SIGKILL; the container gets the same number.</summary>
    public const string TerminationGracePeriodSeconds = RuntimeSection + ":TerminationGracePeriodSeconds";

    /// <summary>Seconds the host may spend stopping; must be less than the grace period.</summary>
    public const string ShutdownTimeoutSeconds = RuntimeSection + ":ShutdownTimeoutSeconds";

    /// <summary>Seconds background tasks get to settle after SIGTERM; must be less than the shutdown timeout.</summary>
    public const string DrainBudgetSeconds = RuntimeSection + ":DrainBudgetSeconds";

    /// <summary>Seconds the listener keeps accepting after readiness turns false, so the platform can stop routing.</summary>
    public const string ReadinessDelaySeconds = RuntimeSection + ":ReadinessDelaySeconds";

    /// <summary>Per-task timeout in seconds; at the deadline the task's token is cancelled.</summary>
    public const string TaskTimeoutSeconds = RuntimeSection + ":TaskTimeoutSeconds";

    /// <summary>Instance wall clock limit in seconds; zero turns it off.</summary>
    public const string WallClockLimitSeconds = RuntimeSection + ":WallClockLimitSeconds";

    /// <summary>Processor time in seconds the instance may use before it retires; zero turns it off.</summary>
    public const string CpuTimeLimitSeconds = RuntimeSection + ":CpuTimeLimitSeconds";

    /// <summary>Share of the GC's available memory at which the instance retires.</summary>
    public const string MemoryWarningRatio = RuntimeSection + ":MemoryWarningRatio";

    /// <summary>How often, in seconds, the soft limits are checked.</summary>
    public const string LimitCheckIntervalSeconds = RuntimeSection + ":LimitCheckIntervalSeconds";

    /// <summary>Seconds a scheduled function's run may take before the platform stops it (its job's replica timeout); zero for other functions.</summary>
    public const string ReplicaTimeoutSeconds = RuntimeSection + ":ReplicaTimeoutSeconds";

    /// <summary>Whether an unhandled background failure retires the instance.</summary>
    public const string RetireOnUnhandledRejection = RuntimeSection + ":RetireOnUnhandledRejection";

    /// <summary>The configuration section of a function app's own settings.</summary>
    public const string FunctionSection = "Function";

    /// <summary>The function's name, as deployed.</summary>
    public const string FunctionName = FunctionSection + ":Name";

    /// <summary>The key callers must present; a secret in Azure.</summary>
    public const string FunctionKey = FunctionSection + ":Key";

    /// <summary>The separate key that reads what a function stores (the analytics sink's <c>GET /events</c>); a secret in Azure.</summary>
    public const string FunctionReadKey = FunctionSection + ":ReadKey";

    /// <summary>Whether callers must present the key (like Supabase's verify_jwt); true by default.</summary>
    public const string FunctionRequireKey = FunctionSection + ":RequireKey";

    /// <summary>The largest request body the function accepts, in bytes.</summary>
    public const string FunctionMaxBodyBytes = FunctionSection + ":MaxBodyBytes";

    /// <summary>How many requests with a body the function reads at once; more are refused with 503 and Retry-After (default 16).</summary>
    public const string FunctionMaxConcurrentBodyRequests = FunctionSection + ":MaxConcurrentBodyRequests";

    /// <summary>The configuration section of the storage wiring.</summary>
    public const string StorageSection = "Storage";

    /// <summary>A storage connection string: local development (Azurite) only.</summary>
    public const string StorageConnectionString = StorageSection + ":ConnectionString";

    /// <summary>The blob service endpoint, used with a managed identity in Azure.</summary>
    public const string StorageBlobEndpoint = StorageSection + ":BlobEndpoint";

    /// <summary>The queue service endpoint, used with a managed identity in Azure.</summary>
    public const string StorageQueueEndpoint = StorageSection + ":QueueEndpoint";

    /// <summary>The table service endpoint, used with a managed identity in Azure.</summary>
    public const string StorageTableEndpoint = StorageSection + ":TableEndpoint";

    /// <summary>The client id of the user-assigned identity (the standard Azure SDK variable).</summary>
    public const string AzureClientId = "AZURE_CLIENT_ID";

    /// <summary>The configuration section of the analytics client.</summary>
    public const string AnalyticsSection = "Analytics";

    /// <summary>The analytics sink's base URL.</summary>
    public const string AnalyticsEndpoint = AnalyticsSection + ":Endpoint";

    /// <summary>The key the analytics sink requires.</summary>
    public const string AnalyticsKey = AnalyticsSection + ":Key";

    /// <summary>The configuration section of a function's durable work queue and its consumer.</summary>
    public const string JobsSection = "Jobs";

    /// <summary>How many times the queue may hand a message out before it goes to the poison queue (default 5).</summary>
    public const string JobsMaxDequeueCount = JobsSection + ":MaxDequeueCount";

    /// <summary>The first retry delay of failed work in seconds, doubled on each try (default 2).</summary>
    public const string JobsRetryBaseDelaySeconds = JobsSection + ":RetryBaseDelaySeconds";

    /// <summary>How many items from its work queue a function runs at once (default 16).</summary>
    public const string JobsMaxConcurrency = JobsSection + ":MaxConcurrency";

    /// <summary>The most payload bytes a function's queue consumer holds at once across the items it runs (default 16 MiB).</summary>
    public const string JobsMaxInFlightPayloadBytes = JobsSection + ":MaxInFlightPayloadBytes";

    /// <summary>The longest pause, in milliseconds, between polls of an empty queue (default 1000).</summary>
    public const string JobsMaxPollIntervalMilliseconds = JobsSection + ":MaxPollIntervalMilliseconds";

    /// <summary>The configuration section of the upload handler.</summary>
    public const string UploadSection = "Upload";

    /// <summary>Extra processing time each upload takes before its write, in milliseconds (default 0; demos and tests).</summary>
    public const string UploadProcessingDelayMilliseconds = UploadSection + ":ProcessingDelayMilliseconds";

    /// <summary>The port the app listens on (the official .NET images' variable).</summary>
    public const string HttpPorts = "ASPNETCORE_HTTP_PORTS";

    /// <summary>Turns a configuration key into the environment variable name that sets it.</summary>
    /// <param name="key">A key such as <c>EdgeRuntime:TaskTimeoutSeconds</c>.</param>
    /// <returns>The variable name, such as <c>EdgeRuntime__TaskTimeoutSeconds</c>.</returns>
    public static string ToEnvironmentVariable(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return key.Replace(":", "__", StringComparison.Ordinal);
    }
}
