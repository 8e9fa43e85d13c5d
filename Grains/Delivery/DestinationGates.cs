using System.Collections.Concurrent;
using Orchestrator.Grains.Configuration;

namespace Orchestrator.Grains.Delivery;

/// <summary>One <see cref="DestinationGate"/> per destination authority, made on first use.</summary>
public sealed class DestinationGates(DeliveryOptions options)
{
    private readonly ConcurrentDictionary<string, DestinationGate> _gates = new(StringComparer.OrdinalIgnoreCase);

    public DestinationGate For(Uri destination) =>
        _gates.GetOrAdd(destination.GetLeftPart(UriPartial.Authority),
            static (authority, state) => new DestinationGate(authority, state.o.ConcurrencyFor(state.destination), state.o.Policy), (o: options, destination));

    public IReadOnlyCollection<DestinationGate> All => (IReadOnlyCollection<DestinationGate>)_gates.Values;
}
