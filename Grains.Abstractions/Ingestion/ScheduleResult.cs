namespace Orchestrator.Grains.Ingestion;

/// <summary>
/// The stored id of a submission: its own, or, when the tenant already used the
/// idempotency key, the original event's (<see cref="Duplicate"/> is then true).
/// </summary>
public sealed record ScheduleResult(Guid EventId, bool Duplicate);
