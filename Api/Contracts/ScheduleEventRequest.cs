using System.Text.Json;
using Orchestrator.Grains.Events;

namespace Orchestrator.Api.Contracts;

/// <summary>
/// The body of POST /api/v1/events, for the OpenAPI document. Bodies are read field by field
/// (see <see cref="Validation.EventRequestReader"/>) so that every bad field is named.
/// </summary>
public sealed record ScheduleEventRequest(
    string ExternalJobId,
    string Source,
    DateTimeOffset ScheduledAt,
    DeliveryType DeliveryType,
    string Destination,
    JsonElement Payload,
    int? MaxRetries,
    IReadOnlyDictionary<string, string>? Headers,
    string? IdempotencyKey,
    int? FlexWindowSeconds);

public sealed record ScheduleBatchRequest(IReadOnlyList<ScheduleEventRequest> Events);

public enum BatchItemStatus
{
    Accepted,
    Duplicate,
    Rejected,
}

public sealed record BatchItemResult(int Index, Guid? Id, BatchItemStatus Status, IDictionary<string, string[]>? Errors);

public sealed record BatchResponse(int Accepted, int Duplicates, int Rejected, IReadOnlyList<BatchItemResult> Results);

public sealed record RedriveRequest(IReadOnlyList<Guid> Ids);

public sealed record RedriveResponse(IReadOnlyList<Guid> Redriven, IReadOnlyList<Guid> NotRedriven);
