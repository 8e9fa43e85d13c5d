namespace Orchestrator.Grains.Events;

/// <summary>An event claimed for firing: its state as loaded by the claim.</summary>
public sealed record DueEvent(
    Guid Id,
    string TenantId,
    string ExternalJobId,
    DateTimeOffset ScheduledAt,
    DateTimeOffset DueAt,
    DeliveryType DeliveryType,
    string Destination,
    string PayloadJson,
    IReadOnlyDictionary<string, string>? Headers,
    int MaxRetries,
    /// <summary>Attempts including the one now starting.</summary>
    int Attempt);
