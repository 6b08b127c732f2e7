using Azure;
using Azure.Storage.Blobs;
using EdgeStack.Testing;

namespace EdgeStack.Azure.Tests;

/// <summary>Which failures the endpoints answer as "storage unavailable": both shapes the SDK throws, and nothing else.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class StorageExceptionsTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task IsStorageFailure_StorageThatDoesNotListen_IsAStorageFailure()
    {
        // Azure.Core retries a connection failure, then throws what it collected.
        var options = new BlobClientOptions { Retry = { MaxRetries = 1, Delay = TimeSpan.FromMilliseconds(10) } };
        var nobody = azurite.ConnectionString.Replace($":{azurite.BlobPort}/", $":{FunctionProcess.FreePort()}/", StringComparison.Ordinal);
        var container = new BlobServiceClient(nobody, options).GetBlobContainerClient("unreachable");

        var exception = await Record.ExceptionAsync(() => container.ExistsAsync());

        Assert.NotNull(exception);
        Assert.True(StorageExceptions.IsStorageFailure(exception));
    }

    [Fact]
    public async Task IsStorageFailure_StorageThatRefusesTheCall_IsAStorageFailure()
    {
        var missing = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient("missing-" + Guid.NewGuid().ToString("N")).GetBlobClient("nothing");

        var exception = await Record.ExceptionAsync(() => missing.DownloadContentAsync());

        Assert.IsType<RequestFailedException>(exception);
        Assert.True(StorageExceptions.IsStorageFailure(exception));
    }

    public static TheoryData<string, Exception, bool> Shapes => new()
    {
        { "retries of storage failures", new AggregateException(new RequestFailedException(503, "busy"), new RequestFailedException("refused")), true },
        { "nested retries", new AggregateException(new AggregateException(new RequestFailedException(500, "down"))), true },
        { "a storage failure beside a bug", new AggregateException(new RequestFailedException(503, "busy"), new InvalidOperationException("bug")), false },
        { "an empty aggregate", new AggregateException(), false },
        { "a bug", new InvalidOperationException("bug"), false },
        { "a cancellation", new OperationCanceledException(), false },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void IsStorageFailure_OnlyFailuresThatAreAllStorageFailures(string what, Exception exception, bool expected)
    {
        var failure = StorageExceptions.IsStorageFailure(exception);

        Assert.True(expected == failure, what);
    }
}
