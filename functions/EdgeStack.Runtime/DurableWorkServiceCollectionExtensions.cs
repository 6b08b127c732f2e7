using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeStack.Runtime;

/// <summary>Registers durable work handlers.</summary>
public static class DurableWorkServiceCollectionExtensions
{
    /// <summary>Registers <typeparamref name="THandler"/> as the scoped handler of durable work named <paramref name="name"/>.</summary>
    /// <typeparam name="THandler">The handler type.</typeparam>
    /// <param name="services">The services.</param>
    /// <param name="name">The handler's name, stored in each work item.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddDurableWorkHandler<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>(this IServiceCollection services, string name)
        where THandler : class, IDurableWorkHandler
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return services.AddKeyedScoped<IDurableWorkHandler, THandler>(name);
    }
}
