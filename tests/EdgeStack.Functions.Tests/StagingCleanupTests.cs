using EdgeStack.Azure;
using EdgeStack.Functions.Maintenance;
using EdgeStack.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Azure.Storage.Blobs;

namespace EdgeStack.Functions.Tests;

/// <summary>The staging cleanup against Azurite with a fake clock: the age of a blob is Azurite's, the run's "now" is the test's.</summary>
public sealed class StagingCleanupTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly TimeSpan s_hang = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task RunAsync_StagedPayloadsOlderThanTheMaxAge_DeletesThemAndKeepsTheRest()
    {
        await azurite.CreateResourcesAsync();
        var uploads = azurite.Uploads;
        var id = Guid.NewGuid().ToString("N");
        var old = await StageAsync(uploads, "old-" + id);
        var outside = "processed/old-" + id + ".json";
        await uploads.UploadBlobAsync(outside, BinaryData.FromString("{}"));
        var fresh = await StageAfterAsync(uploads, "fresh-" + id, old.Modified);
        var maxAge = TimeSpan.FromHours(24);
        var cleanup = new StagingCleanup(
            new BlobServiceClient(azurite.ConnectionString),
            Options.Create(new MaintenanceOptions { StagingMaxAgeHours = maxAge.TotalHours }),
            new FakeTimeProvider(fresh.Modified + maxAge));

        var result = await cleanup.RunAsync(CancellationToken.None);

        Assert.False((await uploads.GetBlobClient(old.Name).ExistsAsync()).Value);
        Assert.True((await uploads.GetBlobClient(fresh.Name).ExistsAsync()).Value);
        Assert.True((await uploads.GetBlobClient(outside).ExistsAsync()).Value);
        Assert.Equal(1, result.Deleted);
        Assert.Equal(1, result.Kept);
    }

    private static async Task<(string Name, DateTimeOffset Modified)> StageAsync(BlobContainerClient uploads, string id)
    {
        var name = AzureQueueDurableWorkQueue.StagingPrefix + id;
        var info = await uploads.GetBlobClient(name).UploadAsync(BinaryData.FromString("{\"payload\":1}"), overwrite: true);
        return (name, info.Value.LastModified);
    }

    /// <summary>Stages a blob whose last-modified time (whole seconds) is later than <paramref name="after"/>: Azurite's clock decides, so it is asked again until it has moved on.</summary>
    private static async Task<(string Name, DateTimeOffset Modified)> StageAfterAsync(BlobContainerClient uploads, string id, DateTimeOffset after) =>
        await Poll.UntilAsync<Tuple<string, DateTimeOffset>>(
            async () =>
            {
                var staged = await StageAsync(uploads, id);
                return staged.Modified > after ? Tuple.Create(staged.Name, staged.Modified) : null;
            },
            s_hang,
            "Azurite's clock to pass the old blob's last-modified second") is var t ? (t.Item1, t.Item2) : default;
}
