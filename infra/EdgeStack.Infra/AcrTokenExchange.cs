using System.Net;
using System.Text.Json;

namespace EdgeStack.Infra;

/// <summary>
/// Exchanges the deployer's Azure AD token for an Azure Container Registry refresh token, as <c>az acr login</c> does:
/// <c>POST https://&lt;registry&gt;/oauth2/exchange</c> with <c>grant_type=access_token</c>, so images are pushed with
/// no admin user and no prior <c>az acr login</c>.
/// </summary>
/// <param name="httpClient">The client the exchange is sent with.</param>
/// <param name="timeout">How long the registry may take to answer.</param>
/// <param name="scheme">The scheme of the registry's endpoint: <c>https</c>, or <c>http</c> for a local fake endpoint in tests.</param>
public sealed class AcrTokenExchange(HttpClient httpClient, TimeSpan timeout, string scheme = "https") : IRegistryTokenSource
{
    /// <summary>The user name Docker logs in with when the password is a registry refresh token.</summary>
    public const string UserName = "00000000-0000-0000-0000-000000000000";

    /// <summary>How long the registry may take to answer by default.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The registry could not be reached, refused the token, did not answer in time or answered without a refresh token; the message names the registry.</exception>
    public async Task<string> GetRefreshTokenAsync(string loginServer, string accessToken, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(loginServer);
        ArgumentException.ThrowIfNullOrEmpty(accessToken);

        var endpoint = new Uri($"{scheme}://{loginServer}/oauth2/exchange");
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "access_token",
                ["service"] = endpoint.Host,
                ["access_token"] = accessToken,
            }),
        };

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        string body;
        HttpStatusCode status;
        try
        {
            using var response = await httpClient.SendAsync(request, deadline.Token);
            status = response.StatusCode;
            body = await response.Content.ReadAsStringAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Failure(loginServer, $"it did not answer within {timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException exception)
        {
            throw Failure(loginServer, $"it could not be reached ({exception.Message})", exception);
        }

        if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw Failure(loginServer, $"it refused the Azure AD token (HTTP {(int)status}); sign in with `az login` to the registry's tenant, with AcrPush on the registry");
        }

        if ((int)status is < 200 or > 299)
        {
            throw Failure(loginServer, $"it answered HTTP {(int)status}");
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("refresh_token", out var token)
                && token.ValueKind == JsonValueKind.String
                && token.GetString() is { Length: > 0 } refreshToken)
            {
                return refreshToken;
            }
        }
        catch (JsonException exception)
        {
            throw Failure(loginServer, "its answer is not JSON", exception);
        }

        throw Failure(loginServer, "its answer has no refresh_token");
    }

    private static InvalidOperationException Failure(string loginServer, string reason, Exception? inner = null) =>
        new($"Could not get a push token from the container registry '{loginServer}': {reason}.", inner);
}
