namespace EdgeStack.Blueprint;

/// <summary>
/// The virtual network the Container Apps environment runs in, and the storage firewall rule that admits it: the storage
/// account denies every network by default and allows only the environment's subnet (a service endpoint), see docs/deploy.md, "Security".
/// </summary>
/// <param name="VirtualNetworkName">The virtual network's Azure name.</param>
/// <param name="AddressSpace">The virtual network's address space, a canonical IPv4 CIDR.</param>
/// <param name="SubnetName">The environment subnet's name within the virtual network.</param>
/// <param name="SubnetPrefix">The environment subnet's prefix, inside <paramref name="AddressSpace"/>.</param>
public sealed record NetworkPlan(string VirtualNetworkName, string AddressSpace, string SubnetName, string SubnetPrefix)
{
    /// <summary>The name of the environment's subnet: one per virtual network, so it needs no stack prefix.</summary>
    public const string EnvironmentSubnetName = "container-apps";

    /// <summary>The service a workload profiles environment's subnet is delegated to.</summary>
    public const string SubnetDelegation = "Microsoft.App/environments";

    /// <summary>The name of the subnet's delegation: the service's name with dots, since a child resource name takes no '/'.</summary>
    public const string SubnetDelegationName = "Microsoft.App.environments";

    /// <summary>The service endpoint that lets the subnet's traffic reach storage as the subnet, which the storage firewall rule names.</summary>
    public const string StorageServiceEndpoint = "Microsoft.Storage";

    /// <summary>The workload profile every app and job runs on: serverless, billed per replica, as before the network was added.</summary>
    public const string ConsumptionWorkloadProfile = "Consumption";
}
