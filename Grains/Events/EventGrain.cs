using Orchestrator.Grains.Delivery;
using Orchestrator.Grains.Runtime;
using Orchestrator.Grains.Storage.Events;

namespace Orchestrator.Grains.Events;

/// <summary>
/// One event's behaviour. Its state is its row in the events table; a reference costs
/// nothing to make, and single activation for firing is the silo's row claim.
/// </summary>
public sealed class EventGrain(Guid id, EventStore store, EventDeliveries deliveries, RetryBackoff backoff) : IEventGrain
{
    public Task<EventView?> GetAsync(TenantId tenant, CancellationToken cancellationToken = default) =>
        store.GetAsync(tenant.Value, id, cancellationToken);

    public async Task<CancelResult> CancelAsync(TenantId tenant, CancellationToken cancellationToken = default)
    {
        if (await store.CancelAsync(tenant.Value, id, cancellationToken) is { } cancelled)
        {
            return new CancelResult(CancelOutcome.Cancelled, cancelled);
        }
        var current = await store.GetAsync(tenant.Value, id, cancellationToken);
        return current switch
        {
            null => new CancelResult(CancelOutcome.NotFound, null),
            { Status: EventStatus.Cancelled } => new CancelResult(CancelOutcome.Cancelled, current),
            _ => new CancelResult(CancelOutcome.TooLate, current),
        };
    }

    public async Task<RedriveResult> RedriveAsync(TenantId tenant, CancellationToken cancellationToken = default)
    {
        var redriven = await store.RedriveAsync(tenant.Value, [id], cancellationToken);
        var current = await store.GetAsync(tenant.Value, id, cancellationToken);
        return (redriven.Count, current) switch
        {
            (_, null) => new RedriveResult(RedriveOutcome.NotFound, null),
            (0, _) => new RedriveResult(RedriveOutcome.NotDeadLetter, current),
            _ => new RedriveResult(RedriveOutcome.Redriven, current),
        };
    }

    public async Task<EventTransition> ReceiveReminderAsync(DueEvent due, CancellationToken cancellationToken)
    {
        if (due.Id != id)
        {
            throw new ArgumentException($"Reminder for event {due.Id} reached grain {id}.", nameof(due));
        }
        DeliveryResult result;
        try
        {
            result = await deliveries.DeliverAsync(due, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A delivery reports failures rather than throwing; if one throws anyway, the
            // attempt failed and the event follows the usual retry path.
            result = DeliveryResult.Failed($"delivery error: {ex.GetType().Name}");
        }
        return EventLifecycle.AfterAttempt(due, result, backoff);
    }
}
