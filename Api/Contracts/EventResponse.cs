using System.Text.Json;
using Orchestrator.Grains.Events;

namespace Orchestrator.Api.Contracts;

/// <summary>An event as the API shows it.</summary>
public sealed record EventResponse(
    Guid Id,
    string ExternalJobId,
    string Source,
    DateTimeOffset ScheduledAt,
    DateTimeOffset DueAt,
    DeliveryType DeliveryType,
    string Destination,
    JsonElement Payload,
    IReadOnlyDictionary<string, string>? Headers,
    int MaxRetries,
    int Attempts,
    EventStatus Status,
    string? IdempotencyKey,
    int? LastStatusCode,
    string? LastError,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? CompletedAt)
{
    public static EventResponse From(EventView view) => new(
        view.Id, view.ExternalJobId, view.Source, view.ScheduledAt, view.DueAt, view.DeliveryType, view.Destination,
        JsonSerializer.Deserialize<JsonElement>(view.PayloadJson), view.Headers, view.MaxRetries, view.Attempts,
        view.Status, view.IdempotencyKey, view.LastStatusCode, view.LastError, view.CreatedAt, view.UpdatedAt,
        view.CompletedAt);
}

/// <summary>What a 202 says: the event is stored and will fire at <see cref="ScheduledAt"/>.</summary>
public sealed record AcceptedEventResponse(Guid Id, EventStatus Status, DateTimeOffset ScheduledAt);

public sealed record EventPageResponse(IReadOnlyList<EventResponse> Items, int Page, int Size, bool HasMore);

public sealed record CancelledCountResponse(string ExternalJobId, int Cancelled);

public sealed record StatisticsResponse(IReadOnlyDictionary<EventStatus, long> Counts, long Total, DateTimeOffset? AsOf);
