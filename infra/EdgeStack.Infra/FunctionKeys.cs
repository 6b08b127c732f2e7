using EdgeStack.Blueprint;
using Pulumi;
using Random = Pulumi.Random;

namespace EdgeStack.Infra;

/// <summary>The function keys: one generated <c>RandomPassword</c> per key, which a secret in stack config overrides.</summary>
internal static class FunctionKeys
{
    /// <summary>Creates the generated keys and picks the key in effect for each.</summary>
    /// <param name="keys">The planned keys.</param>
    /// <param name="config">The stack config, for overrides.</param>
    /// <returns>The key in effect (secret) by function name and use.</returns>
    public static IReadOnlyDictionary<(string FunctionName, FunctionKeyUse Use), Output<string>> Deploy(IEnumerable<FunctionKeyPlan> keys, Pulumi.Config config) =>
        keys.ToDictionary(key => (key.FunctionName, key.Use), key => Deploy(key, config));

    private static Output<string> Deploy(FunctionKeyPlan key, Pulumi.Config config)
    {
        // Created even when overridden, so removing the override falls back to the same generated key, not a new one.
        var generated = new Random.RandomPassword(key.LogicalName, new Random.RandomPasswordArgs
        {
            Length = key.Length,
            Special = false,
        });

        var overridden = config.GetSecret(key.ConfigKey)?.Apply(value => value.Length >= FunctionKeyPlan.MinLength
            ? value
            : throw new InvalidOperationException(
                $"{key.ConfigKey}: the key set in stack config is shorter than {FunctionKeyPlan.MinLength} characters; set a longer one or remove it to use the generated key."));
        return Output.CreateSecret(overridden ?? generated.Result);
    }
}
