using Pulumi;
using Authorization = Pulumi.AzureNative.Authorization;
using ContainerRegistry = Pulumi.AzureNative.ContainerRegistry;
using Docker = Pulumi.Docker;

namespace EdgeStack.Infra;

/// <summary>The credentials the images are pushed with: the deployer's Azure AD token exchanged for a registry refresh token.</summary>
internal static class RegistryPush
{
    /// <summary>The push credentials for a registry.</summary>
    /// <param name="registry">The stack's registry.</param>
    /// <param name="registryTokens">Exchanges the Azure AD token for a registry token.</param>
    /// <returns>Docker's registry arguments; the password is secret.</returns>
    public static Docker.Inputs.RegistryArgs Credentials(ContainerRegistry.Registry registry, IRegistryTokenSource registryTokens)
    {
        // The token of whoever runs `pulumi up` (az login, or the CI identity); it never leaves the program.
        var accessToken = Authorization.GetClientToken.Invoke().Apply(result => result.Token);
        var refreshToken = Output.Tuple(registry.LoginServer, accessToken)
            .Apply(pair => registryTokens.GetRefreshTokenAsync(pair.Item1, pair.Item2, CancellationToken.None));

        return new Docker.Inputs.RegistryArgs
        {
            Server = registry.LoginServer,
            Username = AcrTokenExchange.UserName,
            Password = Output.CreateSecret(refreshToken),
        };
    }
}
