using System.Net;
using System.Net.Sockets;

namespace EdgeStack.Blueprint;

/// <summary>The address rules of the Container Apps environment's virtual network, checked before anything is deployed.</summary>
/// <remarks>
/// A workload profiles environment needs a dedicated subnet of at least /27, delegated to Microsoft.App/environments; it
/// reserves 14 of its addresses for the environment's infrastructure and gives every Consumption replica one address,
/// twice over while a single-revision app rolls to a new revision. A subnet's size cannot change once the environment
/// uses it, so the check happens here, with every app at its most replicas.
/// </remarks>
public static class EnvironmentNetwork
{
    /// <summary>The default address space of the virtual network.</summary>
    public const string DefaultAddressSpace = "10.20.0.0/16";

    /// <summary>The default environment subnet: 4096 addresses, room for one app at the 1000-replica limit beside the others at their defaults.</summary>
    public const string DefaultSubnetPrefix = "10.20.0.0/20";

    /// <summary>The smallest subnet a workload profiles environment accepts, as a prefix length.</summary>
    public const int MaxSubnetPrefixLength = 27;

    /// <summary>The addresses the environment reserves in its subnet whatever its scale.</summary>
    public const int ReservedAddresses = 14;

    /// <summary>The ranges a workload profiles environment uses internally; its virtual network must not overlap them.</summary>
    public static IReadOnlyList<string> PlatformReservedRanges { get; } = ["100.100.0.0/17", "100.100.128.0/19", "100.100.160.0/19", "100.100.192.0/19"];

    /// <summary>The addresses the subnet needs: the reserve, and two per replica of every app at its most replicas (a rolling revision doubles them) and one per job.</summary>
    /// <param name="appMaxReplicas">The most replicas of each app.</param>
    /// <param name="jobs">How many scheduled jobs run (one replica each).</param>
    /// <returns>The address count.</returns>
    public static int RequiredAddresses(IEnumerable<int> appMaxReplicas, int jobs)
    {
        ArgumentNullException.ThrowIfNull(appMaxReplicas);
        return ReservedAddresses + (2 * appMaxReplicas.Sum()) + jobs;
    }

    /// <summary>Checks the address space and subnet prefix; adds one message per problem, each naming its setting.</summary>
    /// <param name="addressSpace">The <see cref="StackConfigKeys.VirtualNetworkAddressSpace"/> value.</param>
    /// <param name="subnetPrefix">The <see cref="StackConfigKeys.EnvironmentSubnetPrefix"/> value.</param>
    /// <param name="requiredAddresses">What <see cref="RequiredAddresses"/> says the functions need.</param>
    /// <param name="errors">Where the problems go.</param>
    public static void Validate(string addressSpace, string subnetPrefix, int requiredAddresses, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var space = Parse(StackConfigKeys.VirtualNetworkAddressSpace, addressSpace, errors);
        var subnet = Parse(StackConfigKeys.EnvironmentSubnetPrefix, subnetPrefix, errors);
        foreach (var (key, network) in new[] { (StackConfigKeys.VirtualNetworkAddressSpace, space), (StackConfigKeys.EnvironmentSubnetPrefix, subnet) })
        {
            if (network is { } n && PlatformReservedRanges.FirstOrDefault(r => Overlaps(n, IPNetwork.Parse(r))) is { } reserved)
            {
                errors.Add($"{key}: {n} overlaps {reserved}, which Container Apps reserves for its own use; choose a range outside 100.100.0.0/16.");
            }
        }

        if (space is not { } s || subnet is not { } sub)
        {
            return;
        }

        if (!(sub.PrefixLength >= s.PrefixLength && s.Contains(sub.BaseAddress)))
        {
            errors.Add($"{StackConfigKeys.EnvironmentSubnetPrefix}: {sub} is not inside the virtual network's address space {s} ({StackConfigKeys.VirtualNetworkAddressSpace}).");
        }

        if (sub.PrefixLength > MaxSubnetPrefixLength)
        {
            errors.Add($"{StackConfigKeys.EnvironmentSubnetPrefix}: {sub} is too small; a workload profiles environment needs a /{MaxSubnetPrefixLength} or larger subnet.");
        }
        else if (Size(sub) < requiredAddresses)
        {
            errors.Add($"{StackConfigKeys.EnvironmentSubnetPrefix}: {sub} holds {Size(sub)} addresses but the functions need {requiredAddresses} " +
                $"({ReservedAddresses} reserved by the environment, two per replica at every app's maxReplicas, one per job); use /{PrefixLengthFor(requiredAddresses)} or larger, or lower maxReplicas.");
        }
    }

    private static IPNetwork? Parse(string key, string value, List<string> errors)
    {
        if (IPNetwork.TryParse(value, out var network) && network.BaseAddress.AddressFamily == AddressFamily.InterNetwork
            && string.Equals(network.ToString(), value, StringComparison.Ordinal))
        {
            return network;
        }

        errors.Add($"{key}: '{value}' is not an IPv4 network in CIDR form with no host bits set, such as '{(key == StackConfigKeys.VirtualNetworkAddressSpace ? DefaultAddressSpace : DefaultSubnetPrefix)}'.");
        return null;
    }

    private static bool Overlaps(IPNetwork a, IPNetwork b) => a.Contains(b.BaseAddress) || b.Contains(a.BaseAddress);

    private static long Size(IPNetwork network) => 1L << (32 - network.PrefixLength);

    private static int PrefixLengthFor(int addresses)
    {
        var length = MaxSubnetPrefixLength;
        while (length > 0 && (1L << (32 - length)) < addresses)
        {
            length--;
        }

        return length;
    }
}
