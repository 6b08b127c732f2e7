using Pulumi;
using App = Pulumi.AzureNative.App;
using Authorization = Pulumi.AzureNative.Authorization;
using ContainerRegistry = Pulumi.AzureNative.ContainerRegistry;
using ManagedIdentity = Pulumi.AzureNative.ManagedIdentity;
using Resources = Pulumi.AzureNative.Resources;
using Storage = Pulumi.AzureNative.Storage;

namespace EdgeStack.Infra;

/// <summary>The stack-wide resources every Container App refers to.</summary>
/// <param name="Registry">The registry the images are pushed to and pulled from.</param>
/// <param name="Identity">The identity every app runs as.</param>
/// <param name="StorageAccount">The storage account the apps use through the identity.</param>
/// <param name="Environment">The Container Apps environment.</param>
/// <param name="ResourceGroup">The resource group.</param>
/// <param name="RoleAssignments">The identity's roles, which every app waits for.</param>
/// <param name="FunctionKeys">The key in effect (secret) of every function that has one, by function name.</param>
internal sealed record SharedResources(
    ContainerRegistry.Registry Registry,
    ManagedIdentity.UserAssignedIdentity Identity,
    Storage.StorageAccount StorageAccount,
    App.ManagedEnvironment Environment,
    Resources.ResourceGroup ResourceGroup,
    IReadOnlyList<Authorization.RoleAssignment> RoleAssignments,
    IReadOnlyDictionary<string, Output<string>> FunctionKeys);
