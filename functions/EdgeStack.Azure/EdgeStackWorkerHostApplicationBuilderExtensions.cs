using EdgeStack.Azure.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EdgeStack.Azure;

/// <summary>Adds the consumer of the <c>jobs</c> queue.</summary>
public static class EdgeStackWorkerHostApplicationBuilderExtensions
{
    /// <summary>
    /// Receives work from <c>jobs</c> and runs it through the runtime with the handler it names; unreadable messages, unknown
    /// handlers and messages handed out too often go to <c>jobs-poison</c> at once. Needs <see cref="EdgeStackStorageHostApplicationBuilderExtensions.AddEdgeStackStorage"/>.
    /// </summary>
    /// <param name="builder">The app's builder.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IHostApplicationBuilder AddDurableWorkConsumer(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHostedService<DurableWorkConsumer>();
        return builder;
    }
}
