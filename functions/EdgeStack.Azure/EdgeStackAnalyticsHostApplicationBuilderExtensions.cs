using EdgeStack.Azure.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EdgeStack.Azure;

/// <summary>Adds the analytics client.</summary>
public static class EdgeStackAnalyticsHostApplicationBuilderExtensions
{
    /// <summary>Registers <see cref="IAnalytics"/>, sending to <c>Analytics:Endpoint</c> with <c>Analytics:Key</c> in the background.</summary>
    /// <param name="builder">The app's builder; it must also add the EdgeStack runtime.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IHostApplicationBuilder AddEdgeStackAnalytics(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<AnalyticsOptions>().BindConfiguration(AnalyticsOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AnalyticsOptions>, AnalyticsOptionsValidator>());
        services.AddOptions<FunctionOptions>().BindConfiguration(FunctionOptions.SectionName);
        services.AddHttpClient(AnalyticsClient.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(10));
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<AnalyticsClient>();
        services.TryAddSingleton<IAnalytics>(sp => sp.GetRequiredService<AnalyticsClient>());
        return builder;
    }
}
