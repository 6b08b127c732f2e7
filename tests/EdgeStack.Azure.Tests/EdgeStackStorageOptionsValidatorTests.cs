using EdgeStack.Azure.Internal;
using EdgeStack.Contracts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EdgeStack.Azure.Tests;

public sealed class EdgeStackStorageOptionsValidatorTests
{
    private readonly EdgeStackStorageOptionsValidator _validator = new();

    [Fact]
    public void Validate_NothingSet_NamesBothForms()
    {
        var result = _validator.Validate(null, new EdgeStackStorageOptions());

        Assert.True(result.Failed);
        Assert.Contains(SettingNames.StorageConnectionString, result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains(SettingNames.StorageBlobEndpoint, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ConnectionStringAndEndpoint_FailsAsContradictory()
    {
        var options = new EdgeStackStorageOptions { ConnectionString = "UseDevelopmentStorage=true", QueueEndpoint = "https://a.queue.core.windows.net" };

        var result = _validator.Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("both", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ConnectionStringWithIdentity_Fails()
    {
        var options = new EdgeStackStorageOptions { ConnectionString = "UseDevelopmentStorage=true", ManagedIdentityClientId = Guid.NewGuid().ToString() };

        var result = _validator.Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(SettingNames.AzureClientId, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MissingTableEndpoint_NamesIt()
    {
        var options = new EdgeStackStorageOptions { BlobEndpoint = "https://a.blob.core.windows.net", QueueEndpoint = "https://a.queue.core.windows.net" };

        var result = _validator.Validate(null, options);

        Assert.True(result.Failed);
        Assert.Single(result.Failures!);
        Assert.StartsWith(SettingNames.StorageTableEndpoint, result.Failures!.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_EndpointsAndIdentity_Succeeds()
    {
        var options = new EdgeStackStorageOptions
        {
            BlobEndpoint = "https://a.blob.core.windows.net",
            QueueEndpoint = "https://a.queue.core.windows.net",
            TableEndpoint = "https://a.table.core.windows.net",
            ManagedIdentityClientId = Guid.NewGuid().ToString(),
        };

        var result = _validator.Validate(null, options);

        Assert.True(result.Succeeded);
    }

    [Theory]
    [InlineData("ftp://a.blob.core.windows.net")]
    [InlineData("not a uri")]
    [InlineData("/devstoreaccount1")]
    public void Validate_EndpointThatIsNotAnHttpUri_NamesTheSettingAndTheValue(string blobEndpoint)
    {
        var options = Endpoints(blobEndpoint, clientId: null);

        var result = _validator.Validate(null, options);

        Assert.True(result.Failed);
        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith(SettingNames.StorageBlobEndpoint, failure, StringComparison.Ordinal);
        Assert.Contains(blobEndpoint, failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:10000/devstoreaccount1", null)]
    [InlineData("https://a.blob.core.windows.net", "")]
    [InlineData("https://a.blob.core.windows.net", "  ")]
    public void Validate_HttpEndpointsWithoutAnIdentity_Succeeds(string blobEndpoint, string? clientId)
    {
        var result = _validator.Validate(null, Endpoints(blobEndpoint, clientId));

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Validate_IdentityThatIsNotAClientId_NamesTheSetting()
    {
        var result = _validator.Validate(null, Endpoints("https://a.blob.core.windows.net", "id-edgestack-dev-upload"));

        Assert.True(result.Failed);
        Assert.StartsWith(SettingNames.AzureClientId, Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddEdgeStackStorage_NoSettings_FailsAtStartNamingTheSetting()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.AddEdgeStackStorage();
        using var host = builder.Build();

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(SettingNames.StorageConnectionString, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddEdgeStackStorage_IdentityFromAzureClientId_FailsNextToConnectionString()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [SettingNames.StorageConnectionString] = "UseDevelopmentStorage=true",
            [SettingNames.AzureClientId] = Guid.NewGuid().ToString(),
        });
        builder.AddEdgeStackStorage();
        using var host = builder.Build();

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(SettingNames.AzureClientId, exception.Message, StringComparison.Ordinal);
    }

    private static EdgeStackStorageOptions Endpoints(string blobEndpoint, string? clientId) => new()
    {
        BlobEndpoint = blobEndpoint,
        QueueEndpoint = "https://a.queue.core.windows.net",
        TableEndpoint = "https://a.table.core.windows.net",
        ManagedIdentityClientId = clientId,
    };
}
