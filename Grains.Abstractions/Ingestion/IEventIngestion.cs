using Orchestrator.Grains.Runtime;

namespace Orchestrator.Grains.Ingestion;

/// <summary>
/// Accepts validated events for a tenant. The task completes only once the events
/// will not be lost (committed to PostgreSQL, or acknowledged by Kafka); results come
/// back in the order of the input.
/// </summary>
public interface IEventIngestion
{
    Task<IReadOnlyList<ScheduleResult>> ScheduleAsync(
        TenantId tenant, IReadOnlyList<NewEvent> events, CancellationToken cancellationToken);
}
