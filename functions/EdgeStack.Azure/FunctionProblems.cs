using EdgeStack.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EdgeStack.Azure;

/// <summary>The problem+json answers every function gives for bad requests, each naming the problem.</summary>
public static class FunctionProblems
{
    /// <summary>400: the request is malformed.</summary>
    /// <param name="detail">What is wrong, naming the field.</param>
    /// <returns>The result.</returns>
    public static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Bad request");

    /// <summary>401: the key is missing or wrong.</summary>
    /// <param name="detail">Which of the two.</param>
    /// <returns>The result.</returns>
    public static ProblemHttpResult Unauthorized(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");

    /// <summary>403: the key is valid but not for this endpoint, or the endpoint is off.</summary>
    /// <param name="detail">Which key the endpoint takes.</param>
    /// <returns>The result.</returns>
    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");

    /// <summary>413: the body is over the limit.</summary>
    /// <param name="maxBytes">The limit.</param>
    /// <returns>The result.</returns>
    public static ProblemHttpResult PayloadTooLarge(long maxBytes) =>
        TypedResults.Problem($"The body is larger than the limit of {maxBytes} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge, title: "Payload too large");

    /// <summary>415: the body is not JSON.</summary>
    /// <param name="contentType">The content type that was sent.</param>
    /// <returns>The result.</returns>
    public static ProblemHttpResult UnsupportedMediaType(string? contentType) =>
        TypedResults.Problem(
            $"The body must be JSON (Content-Type: application/json); it is '{contentType ?? "(none)"}'.",
            statusCode: StatusCodes.Status415UnsupportedMediaType,
            title: "Unsupported media type");

    /// <summary>503: the function reads as many bodies as it may at once; the caller retries after <c>Retry-After</c>.</summary>
    /// <param name="limit">The limit that was reached.</param>
    /// <returns>The result.</returns>
    public static ProblemHttpResult Busy(int limit) =>
        TypedResults.Problem(
            $"The function is handling as many requests with a body as it may at once ({limit}, {SettingNames.FunctionMaxConcurrentBodyRequests}); nothing was read or accepted: retry after the Retry-After delay.",
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "Service unavailable");

    /// <summary>503: a dependency is unavailable and nothing was accepted.</summary>
    /// <param name="detail">What is unavailable.</param>
    /// <returns>The result.</returns>
    public static ProblemHttpResult ServiceUnavailable(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service unavailable");
}
