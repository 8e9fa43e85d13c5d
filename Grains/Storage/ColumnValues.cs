using System.Text.Json;
using Orchestrator.Grains.Events;

namespace Orchestrator.Grains.Storage;

/// <summary>How enums and header maps are written in the events table's columns.</summary>
public static class ColumnValues
{
    /// <summary>The status as the API and metrics spell it (PENDING, DEAD_LETTER, …).</summary>
    public static string ToColumnName(this EventStatus status) => status.ToColumn();

    internal static string ToColumn(this EventStatus status) => status switch
    {
        EventStatus.Pending => "PENDING",
        EventStatus.Processing => "PROCESSING",
        EventStatus.Completed => "COMPLETED",
        EventStatus.DeadLetter => "DEAD_LETTER",
        EventStatus.Cancelled => "CANCELLED",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static EventStatus ToEventStatus(string column) => column switch
    {
        "PENDING" => EventStatus.Pending,
        "PROCESSING" => EventStatus.Processing,
        "COMPLETED" => EventStatus.Completed,
        "DEAD_LETTER" => EventStatus.DeadLetter,
        "CANCELLED" => EventStatus.Cancelled,
        _ => throw new InvalidDataException($"Unknown event status '{column}'."),
    };

    public static string ToColumn(this DeliveryType type) => type switch
    {
        DeliveryType.Http => "HTTP",
        DeliveryType.Kafka => "KAFKA",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    public static DeliveryType ToDeliveryType(string column) => column switch
    {
        "HTTP" => DeliveryType.Http,
        "KAFKA" => DeliveryType.Kafka,
        _ => throw new InvalidDataException($"Unknown delivery type '{column}'."),
    };

    public static string? HeadersToColumn(IReadOnlyDictionary<string, string>? headers) =>
        headers is null || headers.Count == 0 ? null : JsonSerializer.Serialize(headers);

    public static IReadOnlyDictionary<string, string>? HeadersFromColumn(string? json) =>
        json is null ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(json);
}
