using EdgeStack.Azure.Internal;
using EdgeStack.Contracts;
using EdgeStack.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EdgeStack.Azure.Tests;

public sealed class EdgeStackDurableWorkTests
{
    [Fact]
    public async Task AddEdgeStackDurableWork_FunctionNameThatCannotNameAQueue_FailsAtStartNamingTheSetting()
    {
        var builder = CreateBuilder("Not_A_Queue_Name");
        builder.AddEdgeStackDurableWork();
        using var host = builder.Build();

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(SettingNames.FunctionName, exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1024")]
    [InlineData("2147483648")]
    public async Task AddEdgeStackDurableWork_ByteBudgetOutOfRange_FailsAtStartNamingTheSetting(string budget)
    {
        var builder = CreateBuilder("thumbnail");
        builder.Configuration[SettingNames.JobsMaxInFlightPayloadBytes] = budget;
        builder.AddEdgeStackDurableWork();
        using var host = builder.Build();

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains($"{SettingNames.JobsMaxInFlightPayloadBytes} must be between", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddEdgeStackDurableWork_FunctionName_UsesItsOwnQueues()
    {
        var builder = CreateBuilder("thumbnail");
        builder.AddEdgeStackDurableWork();
        using var host = builder.Build();

        var queue = host.Services.GetRequiredService<AzureQueueDurableWorkQueue>();

        Assert.Same(queue, host.Services.GetRequiredService<IDurableWorkQueue>());
        Assert.Equal((StorageNames.WorkQueueOf("thumbnail"), StorageNames.PoisonQueueOf("thumbnail")), (queue.QueueName, queue.PoisonQueueName));
    }

    [Fact]
    public void AddEdgeStackDurableWork_CalledAgain_ConsumesItsQueueOnce()
    {
        var builder = CreateBuilder("thumbnail");
        builder.AddEdgeStackDurableWork();
        builder.AddEdgeStackDurableWork();
        using var host = builder.Build();

        var consumers = host.Services.GetServices<IHostedService>().OfType<DurableWorkConsumer>();

        Assert.Single(consumers);
        Assert.Single(host.Services.GetServices<IDurableWorkQueue>());
    }

    [Fact]
    public void AddEdgeStackDurableWork_NullBuilder_ThrowsArgumentNullExceptionNamingIt()
    {
        var exception = Assert.Throws<ArgumentNullException>(() => EdgeStackDurableWorkHostApplicationBuilderExtensions.AddEdgeStackDurableWork(null!));

        Assert.Equal("builder", exception.ParamName);
    }

    [Fact]
    public void AddEdgeStackStorage_WithoutDurableWork_HasNoWorkQueue()
    {
        var builder = CreateBuilder("hello");
        builder.AddEdgeStackStorage();
        using var host = builder.Build();

        var queue = host.Services.GetService<IDurableWorkQueue>();

        Assert.Null(queue);
    }

    private static HostApplicationBuilder CreateBuilder(string functionName)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [SettingNames.StorageConnectionString] = "UseDevelopmentStorage=true",
            [SettingNames.FunctionName] = functionName,
        });
        builder.AddEdgeRuntime();
        return builder;
    }
}
