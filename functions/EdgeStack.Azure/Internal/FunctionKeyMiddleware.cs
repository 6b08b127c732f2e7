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

    // Hashing first makes the comparison constant-time in the key's length too.
    private readonly byte[]? _keyHash = Hash(options.Value.Key);
    private readonly byte[]? _readKeyHash = Hash(options.Value.ReadKey);
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
        var bearerMatches = Matches(bearer, _keyHash);
        var apiKeyMatches = Matches(apiKey, _keyHash);
        var functionsKeyMatches = Matches(functionsKey, _keyHash);
        return bearerMatches | apiKeyMatches | functionsKeyMatches ? next(context) : RefuseAsync(context, "invalid", "The key is not valid.");
    }

    // The key every client holds to write does not read what all of them wrote.
    private Task CheckReadKeyAsync(HttpContext context, string? bearer, string apiKey, string functionsKey)
    {
        var readMatches = Matches(bearer, _readKeyHash) | Matches(apiKey, _readKeyHash) | Matches(functionsKey, _readKeyHash);
        var writeMatches = Matches(bearer, _keyHash) | Matches(apiKey, _keyHash) | Matches(functionsKey, _keyHash);
        if (readMatches)
        {
            return next(context);
        }

        if (_readKeyHash is null)
        {
            return ForbidAsync(context, "read_off", $"Reading is off: {SettingNames.FunctionReadKey} is not set.");
        }

        return writeMatches
            ? ForbidAsync(context, "write_key", $"This endpoint reads: it takes the read key ({SettingNames.FunctionReadKey}), not the key that writes.")
            : RefuseAsync(context, "invalid", "The key is not valid.");
    }

    private static byte[]? Hash(string? key) => string.IsNullOrEmpty(key) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(key));

    private static bool Matches(string? presented, byte[]? expected)
    {
        if (expected is null || string.IsNullOrEmpty(presented))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), expected);
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
