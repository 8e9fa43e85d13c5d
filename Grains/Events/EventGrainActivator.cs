using Orchestrator.Grains.Delivery;
using Orchestrator.Grains.Runtime;
using Orchestrator.Grains.Storage.Events;

namespace Orchestrator.Grains.Events;

public sealed class EventGrainActivator(EventStore store, EventDeliveries deliveries, RetryBackoff backoff) : IGrainActivator<IEventGrain>
{
    public IEventGrain Activate(Guid key) => new EventGrain(key, store, deliveries, backoff);
}
