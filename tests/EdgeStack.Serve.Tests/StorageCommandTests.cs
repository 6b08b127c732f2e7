namespace EdgeStack.Serve.Tests;

public sealed class StorageCommandTests
{
    [Fact]
    public async Task Run_ServeNotRunning_FailsSayingSo()
    {
        var state = Directory.CreateTempSubdirectory("edgestack-storage-").FullName;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StorageCommand.RunAsync(["--state-dir", state], state, TextWriter.Null, CancellationToken.None));

        Assert.Contains(Path.Combine(state, "serve.json"), error.Message, StringComparison.Ordinal);
        Assert.Contains("serve` is not running", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("everything")]
    [InlineData("blob", "no-container-slash")]
    public async Task Run_UnknownRequest_FailsNamingIt(params string[] request)
    {
        var state = Directory.CreateTempSubdirectory("edgestack-storage-").FullName;
        await File.WriteAllTextAsync(Path.Combine(state, "serve.json"), """{ "storage": { "connectionString": "UseDevelopmentStorage=true" } }""");

        var error = await Assert.ThrowsAsync<ArgumentException>(() => StorageCommand.RunAsync([.. request, "--state-dir", state], state, TextWriter.Null, CancellationToken.None));

        Assert.Contains($"'{string.Join(' ', request)}'", error.Message, StringComparison.Ordinal);
    }
}
