using System.Net;
using System.Text.Json;
using EdgeStack.Contracts;

namespace EdgeStack.Functions.Tests;

/// <summary>The function key, as the headers Supabase and Azure Functions clients send it; never from the query string.</summary>
[Collection(StackCollection.Name)]
public sealed class FunctionKeyTests(StackFixture stack)
{
    [Theory]
    [InlineData("x-functions-key")]
    [InlineData("apikey")]
    public async Task Get_KeyInAKeyHeader_IsAccepted(string header)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/", UriKind.Relative));
        request.Headers.Add(header, StackFixture.Key);

        using var response = await stack.Hello.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(header, new[] { Routes.FunctionsKeyHeader, Routes.ApiKeyHeader });
    }

    [Fact]
    public async Task Get_WrongKeyInFunctionsKeyHeader_Answers401()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/", UriKind.Relative));
        request.Headers.Add(Routes.FunctionsKeyHeader, "not-the-key");

        using var response = await stack.Hello.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("The key is not valid.", await DetailAsync(response));
    }

    [Fact]
    public async Task Get_AuthorizationWithoutScheme_Answers401SayingTheBearerSchemeIsMissing()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/", UriKind.Relative));
        request.Headers.TryAddWithoutValidation("Authorization", StackFixture.Key);

        using var response = await stack.Hello.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("'Bearer' scheme is missing", await DetailAsync(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_RightKeyInTheQueryString_Answers401NamingTheHeaderToUse()
    {
        using var response = await stack.Hello.Client.GetAsync(new Uri($"/?{Routes.FunctionsKeyQueryParameter}={StackFixture.Key}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var detail = await DetailAsync(response);
        Assert.Contains("query string", detail, StringComparison.Ordinal);
        Assert.Contains(Routes.FunctionsKeyHeader, detail, StringComparison.Ordinal);
    }

    private static async Task<string?> DetailAsync(HttpResponseMessage response)
    {
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return problem.RootElement.GetProperty("detail").GetString();
    }
}
