using EdgeStack.Contracts;

namespace EdgeStack.Azure;

/// <summary>What every function app checks before a handler runs: the caller's key and the body size.</summary>
/// <remarks>
/// <para>Bound from the <c>Function</c> section (<see cref="SettingNames"/>), validated at start. Like Supabase's
/// <c>verify_jwt</c>, a key is required by default: with <see cref="RequireKey"/> true and no <see cref="Key"/> the
/// app does not start. Callers send it as <c>Authorization: Bearer &lt;key&gt;</c> or in the <c>apikey</c> header;
/// it is compared in constant time. The probes need no key. A key is at least <see cref="MinKeyLength"/> characters.</para>
/// <para>Endpoints marked with <see cref="EdgeStackFunctionExtensions.RequireReadKey{TBuilder}(TBuilder)"/> (the analytics
/// sink's <c>GET /events</c>) take <see cref="ReadKey"/> instead of <see cref="Key"/>: the key clients hold to write does not
/// read what everyone wrote. Without a read key those endpoints refuse every caller (403).</para>
/// </remarks>
public sealed class FunctionOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = SettingNames.FunctionSection;

    /// <summary>The default body limit: 1 MiB.</summary>
    public const long DefaultMaxBodyBytes = 1024 * 1024;

    /// <summary>Gets or sets the function's name, as deployed (default: the app's assembly name, which is its folder name).</summary>
    public string? Name { get; set; } = System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name;

    /// <summary>The shortest key accepted: 32 characters (24 random bytes in base64url, as <c>./edgestack serve</c> makes them).</summary>
    public const int MinKeyLength = 32;

    /// <summary>Gets or sets the key callers must present.</summary>
    public string? Key { get; set; }

    /// <summary>Gets or sets the separate key that endpoints marked as reads require instead of <see cref="Key"/>; none by default.</summary>
    public string? ReadKey { get; set; }

    /// <summary>Gets or sets whether callers must present the key (default true).</summary>
    public bool RequireKey { get; set; } = true;

    /// <summary>Gets or sets the largest request body accepted, in bytes (default 1 MiB).</summary>
    public long MaxBodyBytes { get; set; } = DefaultMaxBodyBytes;

    /// <summary>
    /// Gets or sets how many requests that carry a body are handled at once (default 16); more are refused at once with
    /// 503, <c>Retry-After</c> and problem+json, so a burst of large bodies cannot fill the replica's memory.
    /// </summary>
    public int MaxConcurrentBodyRequests { get; set; } = 16;
}
