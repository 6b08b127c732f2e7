using System.Net;
using System.Text.Json;
using EdgeStack.Contracts;
using EdgeStack.Testing;

namespace EdgeStack.Functions.Tests;

/// <summary>The key every function requires, on the real app processes: the headers Supabase and Azure Functions clients send it in (never the query string), too short to start, and what a refusal leaves in the logs.</summary>
[Collection(StackCollection.Name)]
public sealed class FunctionKeyTests(StackFixture stack)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(SettingNames.FunctionKey)]
    [InlineData(SettingNames.FunctionReadKey)]
    public async Task Start_KeyShorterThan32Characters_ExitsNamingTheSetting(string setting)
    {
        var environment = new Dictionary<string, string?>
        {
            [SettingNames.ToEnvironmentVariable(SettingNames.StorageConnectionString)] = stack.Azurite.ConnectionString,
            [SettingNames.ToEnvironmentVariable(SettingNames.FunctionKey)] = StackFixture.Key,
            [SettingNames.ToEnvironmentVariable(setting)] = "only-31-characters-0123456789ab",
        };
        await using var app = await FunctionProcess.StartAsync(FunctionApps.AssemblyPath(FunctionProject.Analytics), environment, waitUntilReady: false);

        var exitCode = await app.WaitForExitAsync(s_timeout);

        Assert.NotEqual(0, exitCode);
        Assert.Contains(app.Output, line => line.Contains(setting + " must be at least 32 characters", StringComparison.Ordinal));
        Assert.DoesNotContain(app.Output, line => line.Contains("only-31-characters", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Request_WithoutKey_IsLoggedAtDebugWithoutItsPath()
    {
        // A process of its own: its only refusal is this one.
        await using var hello = await stack.StartAsync(FunctionProject.Hello);
        var marker = "INJECTED" + Guid.NewGuid().ToString("N");

        using var response = await StackFixture.SendAsync(hello, HttpMethod.Get, "/%1b%5b2J" + marker + "%0a%7b%22EventId%22:1%7d", key: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var line = await hello.WaitForLogAsync(113, s_timeout);
        Assert.Equal("Debug", line.LogLevel);
        Assert.DoesNotContain(hello.Output, l => l.Contains(marker, StringComparison.Ordinal));
    }

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
