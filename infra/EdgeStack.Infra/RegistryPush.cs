using Pulumi;
using Authorization = Pulumi.AzureNative.Authorization;
using ContainerRegistry = Pulumi.AzureNative.ContainerRegistry;
using Docker = Pulumi.Docker;

namespace EdgeStack.Infra;

/// <summary>The credentials the images are pushed with: the deployer's Azure AD token exchanged for a registry refresh token.</summary>
internal static class RegistryPush
{
    /// <summary>The password a preview plans with: it is replaced by a fresh registry token at every <c>pulumi up</c>.</summary>
    public const string PreviewPassword = "(registry token, exchanged at pulumi up)";

    /// <summary>The push credentials for a registry.</summary>
    /// <param name="registry">The stack's registry.</param>
    /// <param name="registryTokens">Exchanges the Azure AD token for a registry token.</param>
    /// <returns>Docker's registry arguments; the password is secret.</returns>
    public static Docker.Inputs.RegistryArgs Credentials(ContainerRegistry.Registry registry, IRegistryTokenSource registryTokens)
    {
        // The token of whoever runs `pulumi up` (az login); it never leaves the program. A preview pushes nothing, so it
        // asks the registry for nothing either: the preview identity needs no registry rights.
        var accessToken = Authorization.GetClientToken.Invoke().Apply(result => result.Token);
        var refreshToken = Output.Tuple(registry.LoginServer, accessToken)
            .Apply(pair => Pulumi.Deployment.Instance.IsDryRun
                ? Task.FromResult(PreviewPassword)
                : registryTokens.GetRefreshTokenAsync(pair.Item1, pair.Item2, CancellationToken.None));

        return new Docker.Inputs.RegistryArgs
        {
            Server = registry.LoginServer,
            Username = AcrTokenExchange.UserName,
            Password = Output.CreateSecret(refreshToken),
        };
    }
}
