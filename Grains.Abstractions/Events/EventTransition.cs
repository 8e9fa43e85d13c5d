namespace Orchestrator.Grains.Events;

/// <summary>
/// Where an event goes after one delivery attempt: COMPLETED, DEAD_LETTER, or PENDING
/// again after <see cref="RetryDelay"/>. A <see cref="Deferred"/> transition was never
/// attempted (the destination had no capacity in time) and does not use up a retry.
/// </summary>
public sealed record EventTransition(
    Guid Id,
    DateTimeOffset ScheduledAt,
    EventStatus Status,
    TimeSpan RetryDelay,
    int? StatusCode,
    string? Error)
{
    public bool Deferred { get; init; }
}
