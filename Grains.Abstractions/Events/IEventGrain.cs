using Orchestrator.Grains.Runtime;

namespace Orchestrator.Grains.Events;

/// <summary>
/// One scheduled event, keyed by its id. Every call names the tenant it acts for;
/// an event of another tenant answers as if it did not exist.
/// </summary>
public interface IEventGrain : IGrainWithGuidKey, IEventReminder
{
    Task<EventView?> GetAsync(TenantId tenant, CancellationToken cancellationToken = default);

    /// <summary>
    /// Cancels the event if it has not started firing. A cancel that races a firing has
    /// one winner, decided by the row lock: whichever commits first.
    /// </summary>
    Task<CancelResult> CancelAsync(TenantId tenant, CancellationToken cancellationToken = default);

    /// <summary>Puts a dead letter back to PENDING, due now, with its attempts reset.</summary>
    Task<RedriveResult> RedriveAsync(TenantId tenant, CancellationToken cancellationToken = default);
}
