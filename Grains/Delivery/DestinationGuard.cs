using System.Net;
using System.Net.Sockets;
using Orchestrator.Grains.Configuration;

namespace Orchestrator.Grains.Delivery;

/// <summary>An HTTP destination the SSRF policy refuses; deliveries to it are dead letters.</summary>
public sealed class DestinationRefusedException(string reason) : Exception(reason);

/// <summary>
/// The SSRF guard. A destination is checked when it is submitted (every address its host
/// resolves to must be allowed) and again on every connection (only allowed addresses are
/// dialled), so a host that re-resolves to an internal address later (DNS rebinding) fails.
/// </summary>
public sealed class DestinationGuard(DestinationPolicy policy)
{
    private static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Null when the URL may be called; otherwise why not.</summary>
    public async Task<string?> CheckAsync(Uri destination, CancellationToken cancellationToken)
    {
        if (destination.Scheme is not ("http" or "https"))
        {
            return $"the {destination.Scheme} scheme is not allowed; use http or https";
        }
        if (policy.AllowPrivate || policy.AllowedHosts.Contains(destination.IdnHost))
        {
            return null;
        }
        IPAddress[] addresses;
        try
        {
            addresses = await ResolveAsync(destination.IdnHost, cancellationToken);
        }
        catch (Exception ex) when (ex is SocketException or TimeoutException)
        {
            return $"host {destination.IdnHost} does not resolve";
        }
        foreach (var address in addresses)
        {
            if (RefusalOf(address) is { } refusal)
            {
                return $"host {destination.IdnHost} resolves to {refusal} address {address}; " +
                       "set ORCH_ALLOW_PRIVATE_DESTINATIONS=true or list it in ORCH_DESTINATION_ALLOWLIST to allow it";
            }
        }
        return null;
    }

    /// <summary>SocketsHttpHandler.ConnectCallback: dials only addresses the policy allows.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = await ResolveAsync(host, cancellationToken);
        var allowed = policy.AllowPrivate || policy.AllowedHosts.Contains(host)
            ? addresses
            : addresses.Where(a => RefusalOf(a) is null).ToArray();
        if (allowed.Length == 0)
        {
            var first = addresses.FirstOrDefault();
            throw new DestinationRefusedException(first is null
                ? $"host {host} does not resolve"
                : $"host {host} resolves to {RefusalOf(first)} address {first}, which the SSRF policy refuses");
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Why an address is refused ("loopback", "private", …), or null if it is allowed.</summary>
    public string? RefusalOf(IPAddress address)
    {
        if (policy.AllowPrivate || policy.AllowedNetworks.Any(n => n.Contains(address)))
        {
            return null;
        }
        return Classify(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
    }

    private static string? Classify(IPAddress address)
    {
        if (IPAddress.IsLoopback(address))
        {
            return "loopback";
        }
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b switch
            {
                [0, ..] => "unspecified",
                [10, ..] => "private",
                [172, >= 16 and <= 31, ..] => "private",
                [192, 168, ..] => "private",
                [100, >= 64 and <= 127, ..] => "shared (carrier-grade NAT)",
                [169, 254, 169, 254] => "cloud metadata",
                [169, 254, ..] => "link-local",
                [192, 0, 0, _] => "IETF protocol",
                [198, 18 or 19, ..] => "benchmarking",
                [>= 224 and <= 239, ..] => "multicast",
                [>= 240, ..] => "reserved",
                _ => null,
            };
        }
        if (address.Equals(IPAddress.IPv6None) || address.Equals(IPAddress.IPv6Any))
        {
            return "unspecified";
        }
        var bytes = address.GetAddressBytes();
        return bytes switch
        {
            [0xfd, 0x00, 0x0e, 0xc2, ..] when address.Equals(IPAddress.Parse("fd00:ec2::254")) => "cloud metadata",
            [>= 0xfc and <= 0xfd, ..] => "unique-local",
            [0xfe, >= 0x80 and <= 0xbf, ..] => "link-local",
            [0xfe, >= 0xc0, ..] => "site-local",
            [0xff, ..] => "multicast",
            [0x00, 0x64, 0xff, 0x9b, ..] => "NAT64",
            _ => null,
        };
    }

    private static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            return [literal];
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ResolveTimeout);
        try
        {
            return await Dns.GetHostAddressesAsync(host, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"resolving {host} timed out");
        }
    }
}
