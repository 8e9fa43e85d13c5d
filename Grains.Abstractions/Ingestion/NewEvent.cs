namespace Orchestrator.Grains.Ingestion;

using Orchestrator.Grains.Events;

/// <summary>A validated submission, with the id the API assigned to it (UUIDv7).</summary>
public sealed record NewEvent(
    Guid Id,
    string ExternalJobId,
    string Source,
    DateTimeOffset ScheduledAt,
    DeliveryType DeliveryType,
    string Destination,
    string PayloadJson,
    IReadOnlyDictionary<string, string>? Headers,
    int MaxRetries,
    string? IdempotencyKey);
