using EdgeStack.Blueprint;
using Pulumi;
using App = Pulumi.AzureNative.App;
using ContainerRegistry = Pulumi.AzureNative.ContainerRegistry;
using Docker = Pulumi.Docker;
using Resources = Pulumi.AzureNative.Resources;
using Storage = Pulumi.AzureNative.Storage;

namespace EdgeStack.Infra;

/// <summary>The stack-wide resources the function apps refer to.</summary>
/// <param name="ResourceGroup">The resource group.</param>
/// <param name="Environment">The Container Apps environment.</param>
/// <param name="Registry">The registry the images are pushed to and pulled from.</param>
/// <param name="RegistryPush">The credentials the images are pushed with.</param>
/// <param name="StorageAccount">The storage account the apps reach through their identities.</param>
/// <param name="Containers">The blob containers by name: role scopes.</param>
/// <param name="Queues">The queues by name: role scopes.</param>
/// <param name="Tables">The tables by name: role scopes.</param>
/// <param name="FunctionKeys">The key in effect (secret) of every function that has one, by function name.</param>
internal sealed record SharedResources(
    Resources.ResourceGroup ResourceGroup,
    App.ManagedEnvironment Environment,
    ContainerRegistry.Registry Registry,
    Docker.Inputs.RegistryArgs RegistryPush,
    Storage.StorageAccount StorageAccount,
    IReadOnlyDictionary<string, Storage.BlobContainer> Containers,
    IReadOnlyDictionary<string, Storage.Queue> Queues,
    IReadOnlyDictionary<string, Storage.Table> Tables,
    IReadOnlyDictionary<(string FunctionName, FunctionKeyUse Use), Output<string>> FunctionKeys);
