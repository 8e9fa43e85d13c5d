using Orchestrator.Grains.Events;

namespace Orchestrator.Grains.Delivery;

/// <summary>Makes one delivery attempt of one kind. Never throws for a failed attempt: it reports it.</summary>
public interface IEventDelivery
{
    DeliveryType Type { get; }

    Task<DeliveryResult> DeliverAsync(DueEvent due, CancellationToken cancellationToken);
}
