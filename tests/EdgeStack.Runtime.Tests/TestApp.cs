using EdgeStack.Testing;

namespace EdgeStack.Runtime.Tests;

/// <summary>Starts tests/EdgeStack.Runtime.TestApp as a real process.</summary>
internal static class TestApp
{
    public static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    public static Task<FunctionProcess> StartAsync(params (string Key, string Value)[] settings) =>
        StartAsync(waitUntilReady: true, settings);

    public static Task<FunctionProcess> StartAsync(bool waitUntilReady, params (string Key, string Value)[] settings) =>
        FunctionProcess.StartAsync(
            TestPaths.AppAssembly("EdgeStack.Runtime.TestApp"),
            settings.ToDictionary(s => s.Key, s => (string?)s.Value),
            waitUntilReady);

    public static async Task<HttpResponseMessage> PostAsync(this FunctionProcess app, string pathAndQuery)
    {
        using var content = new StringContent("");
        return await app.Client.PostAsync(new Uri(pathAndQuery, UriKind.Relative), content);
    }

    public static Task<HttpResponseMessage> GetAsync(this FunctionProcess app, string pathAndQuery) =>
        app.Client.GetAsync(new Uri(pathAndQuery, UriKind.Relative));
}
