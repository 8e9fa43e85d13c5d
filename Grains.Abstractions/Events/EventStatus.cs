namespace Orchestrator.Grains.Events;

/// <summary>
/// PENDING → PROCESSING → COMPLETED, or back to PENDING with a later due time (retry),
/// or DEAD_LETTER, or CANCELLED.
/// </summary>
public enum EventStatus
{
    Pending,
    Processing,
    Completed,
    DeadLetter,
    Cancelled,
}
