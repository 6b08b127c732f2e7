using System.Security.Cryptography;
using System.Text;
using EdgeStack.Contracts;
using EdgeStack.Runtime;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace EdgeStack.Azure.Internal;

/// <summary>Lets a request through only with the function's key (as a bearer token, in <c>apikey</c> or in <c>x-functions-key</c>; never from the query string), compared in constant time; probes pass.</summary>
internal sealed class FunctionKeyMiddleware(RequestDelegate next, IOptions<FunctionOptions> options, ILogger<FunctionKeyMiddleware> logger)
{
    private const string BearerPrefix = "Bearer ";

    private static readonly string KeyRequired =
        $"A key is required: send it as 'Authorization: Bearer <key>', or in the '{Routes.ApiKeyHeader}' or '{Routes.FunctionsKeyHeader}' header.";

    private static readonly string SchemeMissing =
        "The Authorization header has no scheme: the 'Bearer' scheme is missing; send 'Authorization: Bearer <key>'.";

    private static readonly string KeyInQuery =
        $"Keys are not taken from the query string ('?{Routes.FunctionsKeyQueryParameter}='): send it in the '{Routes.FunctionsKeyHeader}' header or as 'Authorization: Bearer <key>'.";

    // Hashing first makes the comparison constant-time in the key's length too.
    private readonly byte[]? _keyHash = string.IsNullOrEmpty(options.Value.Key) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(options.Value.Key));
    private readonly bool _requireKey = options.Value.RequireKey;

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
            return RefuseAsync(context, schemeMissing ? SchemeMissing : request.Query.ContainsKey(Routes.FunctionsKeyQueryParameter) ? KeyInQuery : KeyRequired);
        }

        // All are compared, whatever the first gives, so timing does not tell which one matched.
        var bearerMatches = Matches(bearer);
        var apiKeyMatches = Matches(apiKey);
        var functionsKeyMatches = Matches(functionsKey);
        return bearerMatches | apiKeyMatches | functionsKeyMatches ? next(context) : RefuseAsync(context, "The key is not valid.");
    }

    private bool Matches(string? presented)
    {
        if (_keyHash is null || string.IsNullOrEmpty(presented))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), _keyHash);
    }

    private Task RefuseAsync(HttpContext context, string problem)
    {
        Log.KeyRejected(logger, context.Request.Path.Value ?? "/", problem);
        context.Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer";
        return FunctionProblems.Unauthorized(problem).ExecuteAsync(context);
    }
}
