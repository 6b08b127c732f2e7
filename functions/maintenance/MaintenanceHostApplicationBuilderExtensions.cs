using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EdgeStack.Functions.Maintenance;

/// <summary>Adds the maintenance run and its validated options.</summary>
internal static class MaintenanceHostApplicationBuilderExtensions
{
    public static IHostApplicationBuilder AddMaintenance(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<MaintenanceOptions>().BindConfiguration(MaintenanceOptions.SectionName).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MaintenanceOptions>, MaintenanceOptionsValidator>());
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddTransient<StagingCleanup>();
        builder.Services.AddTransient<AnalyticsRollup>();
        builder.Services.AddTransient<MaintenanceRun>();
        return builder;
    }
}
