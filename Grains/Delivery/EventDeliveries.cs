using Orchestrator.Grains.Events;

namespace Orchestrator.Grains.Delivery;

/// <summary>Routes an attempt to the delivery for the event's type.</summary>
public sealed class EventDeliveries(IEnumerable<IEventDelivery> deliveries)
{
    private readonly Dictionary<DeliveryType, IEventDelivery> _byType = deliveries.ToDictionary(d => d.Type);

    public Task<DeliveryResult> DeliverAsync(DueEvent due, CancellationToken cancellationToken) =>
        _byType.TryGetValue(due.DeliveryType, out var delivery)
            ? delivery.DeliverAsync(due, cancellationToken)
            : Task.FromResult(DeliveryResult.Rejected($"no {due.DeliveryType} delivery is configured on this silo"));
}
