using System.Text.Json;
using EdgeStack.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeStack.Azure.Tests;

/// <summary>Each shared answer as a caller receives it: problem+json with its status, title and a detail naming the problem.</summary>
public sealed class FunctionProblemsTests
{
    public static TheoryData<string, int, string, string> Answers => new()
    {
        { "bad-request", 400, "Bad request", "the field 'name' is missing" },
        { "unauthorized", 401, "Unauthorized", "the key is missing" },
        { "forbidden", 403, "Forbidden", "the read key" },
        { "payload-too-large", 413, "Payload too large", "limit of 1234 bytes" },
        { "unsupported-media-type", 415, "Unsupported media type", "it is 'text/plain'" },
        { "unsupported-media-type-none", 415, "Unsupported media type", "it is '(none)'" },
        { "busy", 503, "Service unavailable", "(16, " + SettingNames.FunctionMaxConcurrentBodyRequests + ")" },
        { "service-unavailable", 503, "Service unavailable", "storage is unreachable" },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task Answer_IsProblemJsonWithItsStatusTitleAndDetail(string answer, int status, string title, string detail)
    {
        var result = answer switch
        {
            "bad-request" => FunctionProblems.BadRequest("the field 'name' is missing"),
            "unauthorized" => FunctionProblems.Unauthorized("the key is missing"),
            "forbidden" => FunctionProblems.Forbidden("this endpoint takes the read key"),
            "payload-too-large" => FunctionProblems.PayloadTooLarge(1234),
            "unsupported-media-type" => FunctionProblems.UnsupportedMediaType("text/plain"),
            "unsupported-media-type-none" => FunctionProblems.UnsupportedMediaType(null),
            "busy" => FunctionProblems.Busy(16),
            "service-unavailable" => FunctionProblems.ServiceUnavailable("storage is unreachable"),
            _ => throw new ArgumentOutOfRangeException(nameof(answer), answer, null),
        };

        var (written, problem) = await ExecuteAsync(result);

        Assert.Equal(status, written.StatusCode);
        Assert.StartsWith("application/problem+json", written.ContentType, StringComparison.Ordinal);
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.Equal(title, problem.GetProperty("title").GetString());
        Assert.Contains(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    internal static async Task<(HttpResponse Response, JsonElement Problem)> ExecuteAsync(IResult result)
    {
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        context.Response.Body = new MemoryStream();
        await result.ExecuteAsync(context);
        context.Response.Body.Position = 0;
        using var document = await JsonDocument.ParseAsync(context.Response.Body);
        return (context.Response, document.RootElement.Clone());
    }
}
