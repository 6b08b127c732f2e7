using Azure.Storage.Blobs;
using EdgeStack.Contracts;
using EdgeStack.Functions.Upload;
using EdgeStack.Runtime;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EdgeStack.Functions.Tests;

[Collection(StackCollection.Name)]
public sealed class UploadHandlerTests(StackFixture stack) : IAsyncLifetime
{
    private readonly BlobServiceClient _blobs = new(stack.Azurite.ConnectionString);

    public async Task InitializeAsync() => await _blobs.GetBlobContainerClient(StorageNames.UploadsContainer).CreateIfNotExistsAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ExecuteAsync_OlderUploadRetriedAfterNewerOne_KeepsTheNewerBody()
    {
        var id = "order-" + Guid.NewGuid().ToString("N");
        var handler = CreateHandler();
        var older = new DurableWorkItem("work-older", UploadHandler.Name, new UploadWork(id, """{"v":1}""", AcceptedAtTicks: 1000).ToJson());
        var newer = new DurableWorkItem("work-newer", UploadHandler.Name, new UploadWork(id, """{"v":2}""", AcceptedAtTicks: 2000).ToJson());

        await handler.ExecuteAsync(newer, CancellationToken.None);
        await handler.ExecuteAsync(older, CancellationToken.None);

        Assert.Equal("""{"v":2}""", await ReadAsync(id));
    }

    [Fact]
    public async Task ExecuteAsync_NewerUploadAfterOlderOne_ReplacesTheBody()
    {
        var id = "order-" + Guid.NewGuid().ToString("N");
        var handler = CreateHandler();
        var older = new DurableWorkItem("work-older", UploadHandler.Name, new UploadWork(id, """{"v":1}""", AcceptedAtTicks: 1000).ToJson());
        var newer = new DurableWorkItem("work-newer", UploadHandler.Name, new UploadWork(id, """{"v":2}""", AcceptedAtTicks: 2000).ToJson());

        await handler.ExecuteAsync(older, CancellationToken.None);
        await handler.ExecuteAsync(newer, CancellationToken.None);
        await handler.ExecuteAsync(older, CancellationToken.None);

        Assert.Equal("""{"v":2}""", await ReadAsync(id));
    }

    [Fact]
    public async Task ExecuteAsync_StagedBody_StoresItsBytesAndDeletesTheStagedBlob()
    {
        var id = "staged-" + Guid.NewGuid().ToString("N");
        var staged = await StageAsync("""{"v":"<raw>"}""");
        var item = new DurableWorkItem("work-staged", UploadHandler.Name, new UploadWork(id, null, 1000, staged.Name).ToJson());

        await CreateHandler().ExecuteAsync(item, CancellationToken.None);

        Assert.Equal("""{"v":"<raw>"}""", await ReadAsync(id));
        Assert.False((await staged.ExistsAsync()).Value);
    }

    [Fact]
    public async Task ExecuteAsync_RerunAfterTheStagedBodyWasDeleted_IsDoneWithoutFailing()
    {
        var id = "rerun-" + Guid.NewGuid().ToString("N");
        var staged = await StageAsync("""{"v":1}""");
        var item = new DurableWorkItem("work-rerun", UploadHandler.Name, new UploadWork(id, null, 1000, staged.Name).ToJson());
        await CreateHandler().ExecuteAsync(item, CancellationToken.None);

        var rerun = await Record.ExceptionAsync(() => CreateHandler().ExecuteAsync(item, CancellationToken.None));

        Assert.Null(rerun);
        Assert.Equal("""{"v":1}""", await ReadAsync(id));
    }

    [Fact]
    public async Task ExecuteAsync_BodyReferenceOutsideTheStagingPrefix_IsRefused()
    {
        var item = new DurableWorkItem("work-escape", UploadHandler.Name, new UploadWork("escape", null, 1000, "processed/other.json").ToJson());

        var exception = await Assert.ThrowsAsync<FormatException>(() => CreateHandler().ExecuteAsync(item, CancellationToken.None));

        Assert.Contains(UploadHandler.StagedBodyPrefix, exception.Message, StringComparison.Ordinal);
    }

    private async Task<BlobClient> StageAsync(string body)
    {
        var staged = _blobs.GetBlobContainerClient(StorageNames.UploadsContainer).GetBlobClient(UploadHandler.StagedBodyPrefix + Guid.NewGuid().ToString("N") + ".json");
        await staged.UploadAsync(BinaryData.FromString(body));
        return staged;
    }

    private UploadHandler CreateHandler() =>
        new(_blobs, Options.Create(new UploadOptions()), TimeProvider.System, NullLogger<UploadHandler>.Instance);

    private async Task<string> ReadAsync(string id)
    {
        var blob = _blobs.GetBlobContainerClient(StorageNames.UploadsContainer).GetBlobClient(UploadHandler.BlobName(id));
        return (await blob.DownloadContentAsync()).Value.Content.ToString();
    }
}
