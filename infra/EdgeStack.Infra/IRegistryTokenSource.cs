namespace EdgeStack.Infra;

/// <summary>Gives the credentials Docker pushes the images with: a registry refresh token for the deployer's Azure AD token.</summary>
/// <remarks>The program uses <see cref="AcrTokenExchange"/>; plans and tests, which have no registry to ask, use a placeholder.</remarks>
public interface IRegistryTokenSource
{
    /// <summary>Exchanges an Azure AD access token for a refresh token of one registry.</summary>
    /// <param name="loginServer">The registry's login server, such as <c>acrexample.azurecr.io</c>.</param>
    /// <param name="accessToken">The deployer's Azure AD access token for Azure Resource Manager.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>The refresh token, the password for <see cref="AcrTokenExchange.UserName"/>.</returns>
    Task<string> GetRefreshTokenAsync(string loginServer, string accessToken, CancellationToken cancellationToken);
}
