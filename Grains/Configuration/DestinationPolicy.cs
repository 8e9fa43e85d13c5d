using System.Net;
using Microsoft.Extensions.Configuration;

namespace Orchestrator.Grains.Configuration;

/// <summary>
/// Which HTTP destinations may be called. By default only public addresses: loopback, private,
/// link-local, unique-local, multicast and metadata addresses are refused.
/// ORCH_ALLOW_PRIVATE_DESTINATIONS=true opens them all (on-premise targets, tests);
/// ORCH_DESTINATION_ALLOWLIST opens just the listed hosts and CIDR ranges.
/// </summary>
public sealed record DestinationPolicy(bool AllowPrivate, IReadOnlySet<string> AllowedHosts, IReadOnlyList<IPNetwork> AllowedNetworks)
{
    public static DestinationPolicy FromConfiguration(IConfiguration configuration)
    {
        var hosts = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var networks = new List<IPNetwork>();
        foreach (var entry in configuration.GetString("ORCH_DESTINATION_ALLOWLIST", "")
                     .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (IPNetwork.TryParse(entry, out var network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var address))
            {
                networks.Add(new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                hosts.Add(entry);
            }
        }
        return new DestinationPolicy(configuration.GetBool("ORCH_ALLOW_PRIVATE_DESTINATIONS", false), hosts, networks);
    }
}
