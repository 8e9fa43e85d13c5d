using System.Globalization;
using System.Text;
using System.Text.Json;
using Orchestrator.Grains.Events;

namespace Orchestrator.Grains.Ingestion.Kafka;

/// <summary>
/// The ingestion topic's message: one accepted event and its tenant, as JSON (version 1).
/// Parsing is strict, because anyone with access to the topic can write to it: a message
/// that does not parse as a whole event is a poison message, never a partial event.
/// </summary>
public static class IngestionMessage
{
    public const int Version = 1;
    private const int MaxText = 2048;

    public static byte[] Serialize(string tenantId, NewEvent e)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("v", Version);
            json.WriteString("tenant_id", tenantId);
            json.WriteString("id", e.Id);
            json.WriteString("external_job_id", e.ExternalJobId);
            json.WriteString("source", e.Source);
            json.WriteString("scheduled_at", e.ScheduledAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            json.WriteString("delivery_type", e.DeliveryType == DeliveryType.Http ? "HTTP" : "KAFKA");
            json.WriteString("destination", e.Destination);
            json.WritePropertyName("payload");
            json.WriteRawValue(e.PayloadJson, skipInputValidation: true);
            if (e.Headers is { Count: > 0 } headers)
            {
                json.WriteStartObject("headers");
                foreach (var (name, value) in headers)
                {
                    json.WriteString(name, value);
                }
                json.WriteEndObject();
            }
            json.WriteNumber("max_retries", e.MaxRetries);
            if (e.IdempotencyKey is { } key)
            {
                json.WriteString("idempotency_key", key);
            }
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>Reads a message; on failure says why in <paramref name="reason"/>.</summary>
    public static bool TryParse(byte[]? bytes, out string tenantId, out NewEvent? e, out string reason)
    {
        tenantId = "";
        e = null;
        if (bytes is null || bytes.Length == 0)
        {
            reason = "empty message";
            return false;
        }
        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 64 });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                reason = "not a JSON object";
                return false;
            }
            if (!root.TryGetProperty("v", out var v) || !v.TryGetInt32(out var version) || version != Version)
            {
                reason = $"unknown message version (expected v={Version})";
                return false;
            }
            tenantId = Text(root, "tenant_id");
            var deliveryType = Text(root, "delivery_type") switch
            {
                "HTTP" => DeliveryType.Http,
                "KAFKA" => DeliveryType.Kafka,
                var other => throw new FormatException($"delivery_type '{other}' is not HTTP or KAFKA"),
            };
            if (!root.TryGetProperty("payload", out var payload) || payload.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
            {
                throw new FormatException("payload is missing");
            }
            var maxRetries = root.TryGetProperty("max_retries", out var retries) && retries.TryGetInt32(out var r) && r is >= 0 and <= 1000
                ? r
                : throw new FormatException("max_retries must be an integer from 0 to 1000");
            e = new NewEvent(
                Id: root.TryGetProperty("id", out var id) && id.TryGetGuid(out var guid) ? guid : throw new FormatException("id is not a UUID"),
                ExternalJobId: Text(root, "external_job_id"),
                Source: Text(root, "source"),
                ScheduledAt: DateTimeOffset.TryParse(Text(root, "scheduled_at"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                    ? at.ToUniversalTime()
                    : throw new FormatException("scheduled_at is not a date-time"),
                DeliveryType: deliveryType,
                Destination: Text(root, "destination"),
                PayloadJson: payload.GetRawText(),
                Headers: Headers(root),
                MaxRetries: maxRetries,
                IdempotencyKey: root.TryGetProperty("idempotency_key", out var key) && key.ValueKind == JsonValueKind.String ? Text(root, "idempotency_key") : null);
            reason = "";
            return true;
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or ArgumentException)
        {
            reason = ex is JsonException ? "not valid UTF-8 JSON" : ex.Message;
            return false;
        }
    }

    /// <summary>The start of a message as text, for the failure record (never the whole payload).</summary>
    public static string Excerpt(byte[]? bytes, int maxChars = 256)
    {
        if (bytes is null)
        {
            return "";
        }
        var text = Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, maxChars * 4));
        return text.Length <= maxChars ? text : text[..maxChars];
    }

    private static string Text(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String)
        {
            throw new FormatException($"{name} is missing or not a string");
        }
        var text = value.GetString()!;
        if (text.Length == 0 || text.Length > MaxText || text.Contains('\0'))
        {
            throw new FormatException($"{name} is empty, too long or holds NUL");
        }
        return text;
    }

    private static IReadOnlyDictionary<string, string>? Headers(JsonElement root)
    {
        if (!root.TryGetProperty("headers", out var headers) || headers.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (headers.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("headers is not an object");
        }
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in headers.EnumerateObject())
        {
            map[header.Name] = header.Value.ValueKind == JsonValueKind.String
                ? header.Value.GetString()!
                : throw new FormatException($"header {header.Name} is not a string");
        }
        return map;
    }
}
