using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using EdgeStack.Runtime;
using EdgeStack.Testing;

namespace EdgeStack.Azure.Tests;

/// <summary>A durable handler's result is written once per work item, against Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class WorkResultBlobTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly BlobContainerClient _container = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient("work-results");
    private readonly DurableWorkItem _first = new("item-1", "h", "{}");
    private readonly DurableWorkItem _second = new("item-2", "h", "{}");
    private BlobClient _blob = null!;

    public async Task InitializeAsync()
    {
        await _container.CreateIfNotExistsAsync();
        _blob = _container.GetBlobClient($"results/{Guid.NewGuid():N}.json");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task WriteOnce_Absent_WritesTheContentTaggedWithTheItemAndTheGivenHeadersAndMetadata()
    {
        var written = await _blob.WriteOnceAsync(BinaryData.FromString("one"), _first, new BlobHttpHeaders { ContentType = "application/json" }, new Dictionary<string, string> { ["note"] = "kept" });

        Assert.Equal(WorkResultWrite.Written, written);
        var properties = (await _blob.GetPropertiesAsync()).Value;
        Assert.Equal("application/json", properties.ContentType);
        Assert.Equal("item-1", properties.Metadata[WorkResultBlob.WorkIdMetadata]);
        Assert.Equal("kept", properties.Metadata["note"]);
        Assert.Equal("one", await ContentAsync());
    }

    [Fact]
    public async Task WriteOnce_SameItemAgain_IsAlreadyWrittenAndLeavesTheFirstWrite()
    {
        await _blob.WriteOnceAsync(BinaryData.FromString("one"), _first);

        var again = await _blob.WriteOnceAsync(BinaryData.FromString("rerun"), _first, keep: _ => throw new InvalidOperationException("not asked for its own write"));

        Assert.Equal(WorkResultWrite.AlreadyWritten, again);
        Assert.Equal("one", await ContentAsync());
    }

    [Fact]
    public async Task WriteOnce_AnotherItemsResult_IsReplacedAndRetagged()
    {
        await _blob.WriteOnceAsync(BinaryData.FromString("one"), _first);

        var written = await _blob.WriteOnceAsync(BinaryData.FromString("two"), _second);

        Assert.Equal(WorkResultWrite.Written, written);
        Assert.Equal("two", await ContentAsync());
        Assert.True(await _blob.WrittenByAsync(_second));
        Assert.False(await _blob.WrittenByAsync(_first));
    }

    [Fact]
    public async Task WriteOnce_KeepSaysKeep_IsKeptAndKeepSawTheStoredMetadata()
    {
        await _blob.WriteOnceAsync(BinaryData.FromString("one"), _first, metadata: new Dictionary<string, string> { ["version"] = "9" });
        IDictionary<string, string>? seen = null;

        var written = await _blob.WriteOnceAsync(BinaryData.FromString("two"), _second, keep: stored => (seen = stored)["version"] == "9");

        Assert.Equal(WorkResultWrite.Kept, written);
        Assert.Equal("item-1", seen![WorkResultBlob.WorkIdMetadata]);
        Assert.Equal("one", await ContentAsync());
    }

    [Fact]
    public async Task WriteOnce_BlobChangesBetweenTheReadAndTheReplace_FailsWith412AndKeepsTheConcurrentWrite()
    {
        await _blob.WriteOnceAsync(BinaryData.FromString("one"), _first);

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => _blob.WriteOnceAsync(
            BinaryData.FromString("two"),
            _second,
            keep: _ =>
            {
                _blob.Upload(BinaryData.FromString("concurrent"), overwrite: true); // Another writer, after the read.
                return false;
            }));

        Assert.Equal(412, error.Status);
        Assert.Equal("concurrent", await ContentAsync());
    }

    [Fact]
    public async Task WrittenBy_AbsentBlob_IsFalse()
    {
        Assert.False(await _blob.WrittenByAsync(_first));
        Assert.Null(await _blob.MetadataOrNullAsync());
    }

    private async Task<string> ContentAsync() => (await _blob.DownloadContentAsync()).Value.Content.ToString();
}
