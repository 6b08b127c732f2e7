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
    // Keys shorter than 32 characters stop a function at start.
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

//#if (kind == "queue")
    /// <summary>Starts another process of the function on the same storage, with its own work delay and task timeout.</summary>
    public Task<FunctionProcess> StartAnotherAsync(int workDelayMilliseconds, int taskTimeoutSeconds) =>
        FunctionProcess.StartAsync(FunctionApps.AssemblyPath("function-name"), new Dictionary<string, string?>
        {
            [SettingNames.ToEnvironmentVariable(SettingNames.FunctionKey)] = Key,
            [SettingNames.ToEnvironmentVariable(SettingNames.StorageConnectionString)] = Azurite.ConnectionString,
            [SettingNames.ToEnvironmentVariable(SettingNames.TaskTimeoutSeconds)] = taskTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [SettingNames.ToEnvironmentVariable(SettingNames.JobsMaxPollIntervalMilliseconds)] = "200",
            ["FunctionPascal__WorkDelayMilliseconds"] = workDelayMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

//#endif
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
