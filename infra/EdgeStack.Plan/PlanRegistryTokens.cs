using EdgeStack.Infra;

namespace EdgeStack.Plan;

/// <summary>A plan pushes nothing: the registry token is a placeholder, and no registry is asked.</summary>
public sealed class PlanRegistryTokens : IRegistryTokenSource
{
    /// <summary>The placeholder refresh token.</summary>
    public const string Placeholder = "(registry refresh token)";

    /// <inheritdoc />
    public Task<string> GetRefreshTokenAsync(string loginServer, string accessToken, CancellationToken cancellationToken) =>
        Task.FromResult(Placeholder);
}
