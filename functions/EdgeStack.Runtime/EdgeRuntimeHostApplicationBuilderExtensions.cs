using EdgeStack.Runtime.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeStack.Runtime;

/// <summary>Adds the EdgeStack runtime to an app.</summary>
public static class EdgeRuntimeHostApplicationBuilderExtensions
{
    /// <summary>Adds the runtime: options bound and validated at start, the SIGTERM drain, soft limits, metrics and, in a container, JSON console logs.</summary>
    /// <param name="builder">The app's builder.</param>
    /// <param name="configure">Changes to the options after binding, checked by the same validation.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IHostApplicationBuilder AddEdgeRuntime(this IHostApplicationBuilder builder, Action<EdgeRuntimeOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<EdgeRuntimeOptions>().BindConfiguration(EdgeRuntimeOptions.SectionName);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EdgeRuntimeOptions>, EdgeRuntimeOptionsValidator>());
        services.AddOptions<HostOptions>().Configure<IOptions<EdgeRuntimeOptions>>((host, runtime) => host.ShutdownTimeout = runtime.Value.ShutdownTimeout);

        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<EdgeRuntimeMetrics>();
        services.TryAddSingleton<DefaultEdgeRuntime>();
        services.TryAddSingleton<IEdgeRuntime>(sp => sp.GetRequiredService<DefaultEdgeRuntime>());
        services.AddHostedService<GracefulShutdownService>();
        services.AddHostedService<SoftLimitMonitor>();

        var json = builder.Configuration.GetValue<bool?>(EdgeRuntimeOptions.SectionName + ":" + nameof(EdgeRuntimeOptions.JsonConsole))
            ?? string.Equals(Environment.GetEnvironmentVariable("DOTNET_RUNNING_IN_CONTAINER"), "true", StringComparison.OrdinalIgnoreCase);
        if (json)
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole(o =>
            {
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }

        return builder;
    }
}
