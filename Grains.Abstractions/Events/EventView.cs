namespace Orchestrator.Grains.Events;

/// <summary>What a client may see of one event.</summary>
public sealed record EventView(
    Guid Id,
    string ExternalJobId,
    string Source,
    DateTimeOffset ScheduledAt,
    DateTimeOffset DueAt,
    DeliveryType DeliveryType,
    string Destination,
    string PayloadJson,
    IReadOnlyDictionary<string, string>? Headers,
    int MaxRetries,
    int Attempts,
    EventStatus Status,
    string? IdempotencyKey,
    int? LastStatusCode,
    string? LastError,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? CompletedAt);
