using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using EdgeStack.Azure;
using EdgeStack.Contracts;
using EdgeStack.Testing;

namespace EdgeStack.Functions.Tests;

/// <summary>Azurite and one process of each function app, shared by the tests of the <see cref="StackCollection"/>.</summary>
public sealed class StackFixture : IAsyncLifetime
{
    // At least FunctionOptions.MinKeyLength characters, as every app requires.
    public const string Key = "test-function-key-0123456789abcdef";
    public const string ReadKey = "test-read-key-0123456789abcdef0123";
    public const int UploadDelayMilliseconds = 2000;
    public const int WorkerMaxDequeueCount = 3;

    public AzuriteFixture Azurite { get; } = new();

    public FunctionProcess Analytics { get; private set; } = null!;

    public FunctionProcess Hello { get; private set; } = null!;

    public FunctionProcess Upload { get; private set; } = null!;

    public FunctionProcess Worker { get; private set; } = null!;

    public BlobContainerClient Uploads => Azurite.Uploads;

    /// <summary>Gets <c>upload-jobs</c>, the upload function's own work queue.</summary>
    public QueueClient UploadJobs => Azurite.WorkQueue(FunctionProject.Upload);

    /// <summary>Gets <c>worker-jobs</c>, the worker's own work queue.</summary>
    public QueueClient WorkerJobs => Azurite.WorkQueue(FunctionProject.Worker);

    public TableClient Events => Azurite.Events;

    public async Task InitializeAsync()
    {
        await Azurite.InitializeAsync();

        Analytics = await StartAsync(FunctionProject.Analytics, new()
        {
            [SettingNames.ToEnvironmentVariable(SettingNames.FunctionReadKey)] = ReadKey,
        });
        var hello = StartAsync(FunctionProject.Hello, new()
        {
            [SettingNames.ToEnvironmentVariable(SettingNames.AnalyticsEndpoint)] = Analytics.BaseAddress.ToString(),
            [SettingNames.ToEnvironmentVariable(SettingNames.AnalyticsKey)] = Key,
            ["Analytics__LingerMilliseconds"] = "50",
        });
        var upload = StartAsync(FunctionProject.Upload, new()
        {
            [SettingNames.ToEnvironmentVariable(SettingNames.UploadProcessingDelayMilliseconds)] = UploadDelayMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [SettingNames.ToEnvironmentVariable(SettingNames.JobsMaxPollIntervalMilliseconds)] = "200",
        });
        var worker = StartAsync(FunctionProject.Worker, new()
        {
            [SettingNames.ToEnvironmentVariable(SettingNames.JobsMaxDequeueCount)] = WorkerMaxDequeueCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [SettingNames.ToEnvironmentVariable(SettingNames.JobsRetryBaseDelaySeconds)] = "1",
            ["Jobs__MaxRetryDelaySeconds"] = "1",
            [SettingNames.ToEnvironmentVariable(SettingNames.JobsMaxPollIntervalMilliseconds)] = "200",
        });
        Hello = await hello;
        Upload = await upload;
        Worker = await worker;

        // One request each, so the tests measure warm instances (JIT and the storage clients' first connections done).
        using var warmHello = await SendAsync(Hello, HttpMethod.Get, "/");
        using var warmUpload = await SendAsync(Upload, HttpMethod.Post, "/", $$"""{"id":"warm-up"}""");
    }

    public async Task DisposeAsync()
    {
        foreach (var app in new[] { Hello, Upload, Worker, Analytics })
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }
        }

        await Azurite.DisposeAsync();
    }

    /// <summary>Starts a function app against the fixture's Azurite with the test key, plus <paramref name="settings"/>.</summary>
    public Task<FunctionProcess> StartAsync(string project, Dictionary<string, string?>? settings = null)
    {
        var environment = new Dictionary<string, string?>
        {
            [SettingNames.ToEnvironmentVariable(SettingNames.StorageConnectionString)] = Azurite.ConnectionString,
            [SettingNames.ToEnvironmentVariable(SettingNames.FunctionKey)] = Key,
        };
        foreach (var (name, value) in settings ?? [])
        {
            environment[name] = value;
        }

        return FunctionProcess.StartAsync(FunctionApps.AssemblyPath(project), environment);
    }

    /// <summary>Bodies larger than this are sent with <c>Expect: 100-continue</c>, as curl sends those over 1 MiB.</summary>
    private const int ExpectContinueAboveBytes = 1024 * 1024;

    /// <summary>Sends a request with the key as a bearer token unless <paramref name="key"/> says otherwise.</summary>
    public static Task<HttpResponseMessage> SendAsync(FunctionProcess app, HttpMethod method, string path, string? body = null, string contentType = "application/json", string? key = Key)
    {
        ArgumentNullException.ThrowIfNull(app);
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);

            // As curl does for a large body: the function can refuse it (413) before it is sent. Without it, a refusal at
            // the headers, which closes the connection, races the client still writing the body (a broken pipe, no answer).
            request.Headers.ExpectContinue = body.Length > ExpectContinueAboveBytes;
        }

        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return app.Client.SendAsync(request);
    }

    /// <summary>The messages on the poison queue of <paramref name="function"/>, decoded.</summary>
    public async Task<IReadOnlyList<PoisonedWork>> PeekPoisonAsync(string function)
    {
        var messages = await Azurite.PoisonQueue(function).PeekMessagesAsync(32);
        return messages.Value
            .Select(m => JsonSerializer.Deserialize<PoisonedWork>(Convert.FromBase64String(m.Body.ToString()))!)
            .ToList();
    }
}
