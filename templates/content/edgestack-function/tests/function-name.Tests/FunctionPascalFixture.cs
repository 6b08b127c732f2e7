using EdgeStack.Contracts;
using EdgeStack.Testing;

namespace EdgeStack.Functions.FunctionPascal.Tests;

//#if (kind == "queue")
/// <summary>Azurite and one process of the function-name function, started from its build output with a test key.</summary>
//#else
/// <summary>One process of the function-name function, started from its build output with a test key.</summary>
//#endif
public sealed class FunctionPascalFixture : IAsyncLifetime
{
    public const string Key = "test-function-key-0123456789abcdef";

//#if (kind == "queue")
    public AzuriteFixture Azurite { get; } = new();

//#endif
    public FunctionProcess App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
//#if (kind == "queue")
        await Azurite.InitializeAsync();
//#endif
        App = await FunctionProcess.StartAsync(FunctionApps.AssemblyPath("function-name"), new Dictionary<string, string?>
        {
            [SettingNames.ToEnvironmentVariable(SettingNames.FunctionKey)] = Key,
//#if (kind == "queue")
            [SettingNames.ToEnvironmentVariable(SettingNames.StorageConnectionString)] = Azurite.ConnectionString,
//#endif
        });
    }

    public async Task DisposeAsync()
    {
        if (App is not null)
        {
            await App.DisposeAsync();
        }
//#if (kind == "queue")

        await Azurite.DisposeAsync();
//#endif
    }
}
