using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using System.Text;
using EdgeStack.Contracts;
using EdgeStack.Runtime;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace EdgeStack.Azure.Internal;

/// <summary>
/// Lets a request through only with the function's key (as a bearer token, in <c>apikey</c> or in <c>x-functions-key</c>;
/// never from the query string), compared in constant time; probes pass; endpoints that read
/// (<see cref="ReadKeyRequiredMetadata"/>) take the read key instead.
/// </summary>
internal sealed class FunctionKeyMiddleware(RequestDelegate next, IOptions<FunctionOptions> options, IMeterFactory meters, ILogger<FunctionKeyMiddleware> logger)
{
    public const string UnauthorizedMetric = "edgestack.function.unauthorized";
    public const string ReasonTag = "reason";

    private const string BearerPrefix = "Bearer ";

    private static readonly string KeyRequired =
        $"A key is required: send it as 'Authorization: Bearer <key>', or in the '{Routes.ApiKeyHeader}' or '{Routes.FunctionsKeyHeader}' header.";

    private static readonly string SchemeMissing =
        "The Authorization header has no scheme: the 'Bearer' scheme is missing; send 'Authorization: Bearer <key>'.";

    private static readonly string KeyInQuery =
        $"Keys are not taken from the query string ('?{Routes.FunctionsKeyQueryParameter}='): send it in the '{Routes.FunctionsKeyHeader}' header or as 'Authorization: Bearer <key>'.";

    private readonly byte[]? _key = Bytes(options.Value.Key);
    private readonly byte[]? _readKey = Bytes(options.Value.ReadKey);
    private readonly bool _requireKey = options.Value.RequireKey;
    private readonly Counter<long> _unauthorized = meters.Create(AnalyticsClient.MeterName)
        .CreateCounter<long>(UnauthorizedMetric, "{request}", "Requests refused for a missing, wrong or misplaced key (tag reason: missing, invalid, write_key, read_off).");

    public Task InvokeAsync(HttpContext context)
    {
        if (!_requireKey || context.GetEndpoint()?.Metadata.GetMetadata<AllowAnonymousProbeAttribute>() is not null)
        {
            return next(context);
        }

        var request = context.Request;
        string? bearer = null;
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            bearer = authorization[BearerPrefix.Length..].Trim();
        }

        // "Authorization: <key>", the key without a scheme: a common slip worth naming.
        var schemeMissing = bearer is null && authorization.Length > 0 && !authorization.Trim().Contains(' ', StringComparison.Ordinal);
        var apiKey = request.Headers[Routes.ApiKeyHeader].ToString();
        var functionsKey = request.Headers[Routes.FunctionsKeyHeader].ToString();
        if (string.IsNullOrEmpty(bearer) && string.IsNullOrEmpty(apiKey) && string.IsNullOrEmpty(functionsKey))
        {
            return RefuseAsync(context, "missing", schemeMissing ? SchemeMissing : request.Query.ContainsKey(Routes.FunctionsKeyQueryParameter) ? KeyInQuery : KeyRequired);
        }

        if (context.GetEndpoint()?.Metadata.GetMetadata<ReadKeyRequiredMetadata>() is not null)
        {
            return CheckReadKeyAsync(context, bearer, apiKey, functionsKey);
        }

        // All are compared, whatever the first gives, so timing does not tell which one matched.
        var bearerMatches = Matches(bearer, _key);
        var apiKeyMatches = Matches(apiKey, _key);
        var functionsKeyMatches = Matches(functionsKey, _key);
        return bearerMatches | apiKeyMatches | functionsKeyMatches ? next(context) : RefuseAsync(context, "invalid", "The key is not valid.");
    }

    // The key every client holds to write does not read what all of them wrote.
    private Task CheckReadKeyAsync(HttpContext context, string? bearer, string apiKey, string functionsKey)
    {
        var readMatches = Matches(bearer, _readKey) | Matches(apiKey, _readKey) | Matches(functionsKey, _readKey);
        var writeMatches = Matches(bearer, _key) | Matches(apiKey, _key) | Matches(functionsKey, _key);
        if (readMatches)
        {
            return next(context);
        }

        if (_readKey is null)
        {
            return ForbidAsync(context, "read_off", $"Reading is off: {SettingNames.FunctionReadKey} is not set.");
        }

        return writeMatches
            ? ForbidAsync(context, "write_key", $"This endpoint reads: it takes the read key ({SettingNames.FunctionReadKey}), not the key that writes.")
            : RefuseAsync(context, "invalid", "The key is not valid.");
    }

    private static byte[]? Bytes(string? key) => string.IsNullOrEmpty(key) ? null : Encoding.UTF8.GetBytes(key);

    /// <summary>
    /// Compares in constant time: the presented bytes are laid over a buffer of the key's length (cut or zero-padded),
    /// which <see cref="CryptographicOperations.FixedTimeEquals"/> compares whole, and the lengths are compared apart.
    /// So the time depends on the presented key's length (the caller's) and the key's (fixed), never on how much of a
    /// guess was right. No hashing: SHA-256 loaded OpenSSL into every function for this alone (~3.5 MB resident).
    /// </summary>
    private static bool Matches(string? presented, byte[]? expected)
    {
        if (expected is null || string.IsNullOrEmpty(presented))
        {
            return false;
        }

        var bytes = Encoding.UTF8.GetBytes(presented);
        var candidate = expected.Length <= 256 ? stackalloc byte[expected.Length] : new byte[expected.Length];
        candidate.Clear();
        bytes.AsSpan(0, Math.Min(bytes.Length, candidate.Length)).CopyTo(candidate);
        return CryptographicOperations.FixedTimeEquals(candidate, expected) & bytes.Length == expected.Length;
    }

    private Task RefuseAsync(HttpContext context, string reason, string problem)
    {
        Record(context, reason, problem);
        context.Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer";
        return FunctionProblems.Unauthorized(problem).ExecuteAsync(context);
    }

    private Task ForbidAsync(HttpContext context, string reason, string problem)
    {
        Record(context, reason, problem);
        return FunctionProblems.Forbidden(problem).ExecuteAsync(context);
    }

    private void Record(HttpContext context, string reason, string problem)
    {
        _unauthorized.Add(1, new KeyValuePair<string, object?>(ReasonTag, reason));
        Log.KeyRejected(logger, (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(none)", problem);
    }
}
