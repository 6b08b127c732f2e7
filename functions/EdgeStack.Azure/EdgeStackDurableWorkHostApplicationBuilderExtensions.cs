using EdgeStack.Azure.Internal;
using EdgeStack.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EdgeStack.Azure;

/// <summary>Adds a function's durable work: its own work queue, and the consumer that finishes handed-off work in the function itself.</summary>
public static class EdgeStackDurableWorkHostApplicationBuilderExtensions
{
    /// <summary>
    /// Gives the function durable work on its own queue: <see cref="IEdgeRuntime.WaitUntilDurableAsync"/> writes to
    /// <c>&lt;name&gt;-jobs</c> (the name is <c>Function:Name</c>, by default the assembly name), payloads too large for a
    /// message are staged first, and the function consumes the queue itself, so work handed off at SIGTERM or left
    /// behind by SIGKILL is finished by its next instance. Failures retry with backoff and end in <c>&lt;name&gt;-jobs-poison</c>
    /// with the reason; unreadable messages and work for a handler the function does not register go there at once.
    /// Register the handlers with <see cref="DurableWorkServiceCollectionExtensions.AddDurableWorkHandler{THandler}"/>.
    /// Adds <see cref="EdgeStackStorageHostApplicationBuilderExtensions.AddEdgeStackStorage"/> if it is missing.
    /// </summary>
    /// <param name="builder">The app's builder.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IHostApplicationBuilder AddEdgeStackDurableWork(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddEdgeStackStorage();
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(AzureQueueDurableWorkQueue)))
        {
            return builder;
        }

        if (!services.Any(d => d.ServiceType == typeof(IConfigureOptions<FunctionOptions>)))
        {
            // The name comes from the Function settings even in an app that does not call AddEdgeStackFunction.
            services.AddOptions<FunctionOptions>().BindConfiguration(FunctionOptions.SectionName);
        }

        services.AddOptions<FunctionOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FunctionOptions>, DurableWorkFunctionNameValidator>());
        services.AddOptions<DurableQueueOptions>().BindConfiguration(DurableQueueOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DurableQueueOptions>, DurableQueueOptionsValidator>());
        services.AddSingleton<AzureQueueDurableWorkQueue>();
        services.AddSingleton<IDurableWorkQueue>(sp => sp.GetRequiredService<AzureQueueDurableWorkQueue>());
        services.AddHostedService<DurableWorkConsumer>();
        return builder;
    }
}
