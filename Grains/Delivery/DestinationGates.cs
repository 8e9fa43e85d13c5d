using System.Collections.Concurrent;
using Orchestrator.Grains.Configuration;
using Orchestrator.Grains.Storage;

namespace Orchestrator.Grains.Delivery;

/// <summary>
/// One <see cref="DestinationGate"/> per destination authority, made on first use; and, for
/// tenants with destination limits of their own, one lane per tenant and destination. A lane is
/// keyed by its limits too, so new settings take effect with a fresh lane.
/// </summary>
public sealed class DestinationGates(DeliveryOptions options)
{
    private readonly ConcurrentDictionary<string, DestinationGate> _gates = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<(string Tenant, string Authority, int Concurrency, int? Rate), DeliveryLane> _tenantLanes = new();

    public DestinationGate For(Uri destination) =>
        _gates.GetOrAdd(destination.GetLeftPart(UriPartial.Authority),
            static (authority, state) => new DestinationGate(
                authority,
                new DeliveryLane(state.o.ConcurrencyFor(state.destination), state.o.RateFor(state.destination)),
                state.o.Policy),
            (o: options, destination));

    /// <summary>The tenant's own lane to a destination, or null when the tenant sets no destination limits.</summary>
    public DeliveryLane? ForTenant(string tenantId, DestinationGate gate, TenantSettings settings)
    {
        if (settings.DestinationConcurrency is null && settings.DestinationRatePerSecond is null)
        {
            return null;
        }
        var concurrency = settings.DestinationConcurrency ?? gate.Concurrency;
        return _tenantLanes.GetOrAdd((tenantId, gate.Authority, concurrency, settings.DestinationRatePerSecond),
            static key => new DeliveryLane(key.Concurrency, key.Rate));
    }

    public IReadOnlyCollection<DestinationGate> All => (IReadOnlyCollection<DestinationGate>)_gates.Values;
}
