using EdgeStack.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EdgeStack.Azure;

/// <summary>Adds the durable handlers that <c>upload</c> and <c>worker</c> share.</summary>
public static class EdgeStackUploadsHostApplicationBuilderExtensions
{
    /// <summary>Registers <see cref="UploadHandler"/> as durable work <c>upload</c>, bound to the <c>Upload</c> settings.</summary>
    /// <param name="builder">The app's builder.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IHostApplicationBuilder AddUploadHandler(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<UploadOptions>().BindConfiguration(UploadOptions.SectionName);
        builder.Services.AddDurableWorkHandler<UploadHandler>(UploadHandler.Name);
        return builder;
    }
}
