using Microsoft.Extensions.DependencyInjection;

namespace EdgeStack.Runtime.Tests;

public sealed class DurableWorkServiceCollectionExtensionsTests
{
    [Fact]
    public void AddDurableWorkHandler_Name_ResolvesTheHandlerByThatNameInAScope()
    {
        var services = new ServiceCollection();

        services.AddDurableWorkHandler<NoOpHandler>("record");
        using var provider = services.BuildServiceProvider();
        using var scope = provider.CreateScope();

        Assert.IsType<NoOpHandler>(scope.ServiceProvider.GetRequiredKeyedService<IDurableWorkHandler>("record"));
        Assert.Null(scope.ServiceProvider.GetService<IDurableWorkHandler>());
    }

    [Fact]
    public void AddDurableWorkHandler_NoName_IsRefused()
    {
        var services = new ServiceCollection();

        Assert.Throws<ArgumentNullException>("name", () => services.AddDurableWorkHandler<NoOpHandler>(null!));
        Assert.Empty(services);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void AddDurableWorkHandler_BlankName_IsRefused(string name)
    {
        var services = new ServiceCollection();

        Assert.Throws<ArgumentException>(nameof(name), () => services.AddDurableWorkHandler<NoOpHandler>(name));
        Assert.Empty(services);
    }

    private sealed class NoOpHandler : IDurableWorkHandler
    {
        public Task ExecuteAsync(DurableWorkItem item, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
