using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Orchestrator.Grains.Configuration;
using Orchestrator.Grains.Events;
using Orchestrator.Grains.Ingestion;

namespace Orchestrator.Api.Validation;

/// <summary>
/// Reads one event submission from its JSON, field by field, naming every field that is
/// missing, of the wrong type, too long or out of range. Nothing invalid reaches storage.
/// </summary>
public sealed partial class EventRequestReader(SubmissionLimits limits, KafkaOptions kafka, TimeProvider clock)
{
    private const int DefaultMaxRetries = 3;
    private const int MaxFlexWindowSeconds = 86_400;

    // Headers we set ourselves, or that would change how the request is framed or routed.
    private static readonly HashSet<string> ReservedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Content-Length", "Content-Type", "Transfer-Encoding", "Connection", "Keep-Alive", "Upgrade", "TE",
        "Trailer", "Proxy-Authorization", "Proxy-Connection", "Expect", "Idempotency-Key",
        "webhook-id", "webhook-timestamp", "webhook-signature",
    };

    public bool TryRead(JsonElement body, string? headerIdempotencyKey, out NewEvent? submission, out FieldErrors errors)
    {
        submission = null;
        errors = new FieldErrors();
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors.Add("", "an event must be a JSON object");
            return false;
        }

        var externalJobId = RequiredString(body, "external_job_id", errors);
        var source = RequiredString(body, "source", errors);
        var scheduledAt = ScheduledAt(body, errors) + FlexOffset(body, errors);
        var deliveryType = Delivery(body, errors);
        var destination = deliveryType is { } type ? Destination(body, type, errors) : null;
        var payload = Payload(body, errors);
        var maxRetries = MaxRetries(body, errors);
        var headers = Headers(body, errors);
        var idempotencyKey = IdempotencyKey(body, headerIdempotencyKey, errors);

        if (!errors.IsEmpty)
        {
            return false;
        }
        submission = new NewEvent(Guid.CreateVersion7(), externalJobId!, source!, scheduledAt!.Value, deliveryType!.Value,
            destination!, payload!, headers, maxRetries, idempotencyKey);
        return true;
    }

    private static string? RequiredString(JsonElement body, string name, FieldErrors errors)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            errors.Add(name, "is required");
            return null;
        }
        return BoundedString(value, name, SubmissionLimits.MaxFieldLength, errors);
    }

    private static string? BoundedString(JsonElement value, string name, int maxLength, FieldErrors errors)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(name, $"must be a string, not {Describe(value.ValueKind)}");
            return null;
        }
        string text;
        try
        {
            text = value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            errors.Add(name, "is not valid Unicode");
            return null;
        }
        if (text.Length == 0 || string.IsNullOrWhiteSpace(text))
        {
            errors.Add(name, "must not be empty");
            return null;
        }
        if (text.Length > maxLength)
        {
            errors.Add(name, $"must be at most {maxLength} characters");
            return null;
        }
        if (text.Any(char.IsControl) || !IsWellFormedUtf16(text))
        {
            errors.Add(name, "must not contain control characters or unpaired surrogates");
            return null;
        }
        return text;
    }

    private DateTimeOffset? ScheduledAt(JsonElement body, FieldErrors errors)
    {
        var text = RequiredString(body, "scheduled_at", errors);
        if (text is null)
        {
            return null;
        }
        if (!Rfc3339().IsMatch(text) ||
            !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var requested))
        {
            errors.Add("scheduled_at", "must be an RFC 3339 date-time with an offset, e.g. 2026-02-17T10:00:00Z");
            return null;
        }
        var now = clock.GetUtcNow();
        if (requested > now + limits.MaxScheduleAhead)
        {
            errors.Add("scheduled_at", $"must be at most {limits.MaxScheduleAhead.TotalDays:0} days ahead");
            return null;
        }
        if (requested < now - limits.PastTolerance)
        {
            errors.Add("scheduled_at", $"is more than {limits.PastTolerance.TotalHours:0.##} hours in the past");
            return null;
        }
        // A time in the (recent) past means now. Fixing it here keeps the stored time the
        // same however often the submission is replayed.
        return (requested < now ? now : requested).ToUniversalTime();
    }

    /// <summary>
    /// flex_window_seconds (EventBridge Scheduler's flexible time window): the event fires at a
    /// uniformly random moment within that many seconds after scheduled_at, which spreads a herd
    /// of events sharing one time. Drawn once, here, so replays keep the same time.
    /// </summary>
    private static TimeSpan FlexOffset(JsonElement body, FieldErrors errors)
    {
        if (!body.TryGetProperty("flex_window_seconds", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return TimeSpan.Zero;
        }
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var seconds) || seconds < 0 || seconds > MaxFlexWindowSeconds)
        {
            errors.Add("flex_window_seconds", $"must be an integer from 0 to {MaxFlexWindowSeconds}");
            return TimeSpan.Zero;
        }
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * seconds * 1000);
    }

    private DeliveryType? Delivery(JsonElement body, FieldErrors errors)
    {
        var text = RequiredString(body, "delivery_type", errors);
        switch (text?.ToUpperInvariant())
        {
            case null:
                return null;
            case "HTTP":
                return DeliveryType.Http;
            case "KAFKA" when kafka.Enabled:
                return DeliveryType.Kafka;
            case "KAFKA":
                errors.Add("delivery_type", "KAFKA delivery needs KAFKA_BOOTSTRAP_SERVERS; this node has no Kafka configured");
                return null;
            default:
                errors.Add("delivery_type", "must be HTTP or KAFKA");
                return null;
        }
    }

    private static string? Destination(JsonElement body, DeliveryType type, FieldErrors errors)
    {
        if (!body.TryGetProperty("destination", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            errors.Add("destination", "is required");
            return null;
        }
        var text = BoundedString(value, "destination", SubmissionLimits.MaxDestinationLength, errors);
        if (text is null)
        {
            return null;
        }
        if (type == DeliveryType.Kafka)
        {
            if (!TopicName().IsMatch(text))
            {
                errors.Add("destination", "must be a Kafka topic name: 1 to 249 letters, digits, '.', '_' or '-'");
                return null;
            }
            return text;
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") ||
            string.IsNullOrEmpty(uri.Host) || !string.IsNullOrEmpty(uri.UserInfo))
        {
            errors.Add("destination", "must be an absolute http or https URL without credentials");
            return null;
        }
        return text;
    }

    private string? Payload(JsonElement body, FieldErrors errors)
    {
        if (!body.TryGetProperty("payload", out var value) || value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            errors.Add("payload", "is required");
            return null;
        }
        var raw = value.GetRawText();
        if (Encoding.UTF8.GetByteCount(raw) > limits.MaxPayloadBytes)
        {
            errors.Add("payload", $"must be at most {limits.MaxPayloadBytes} bytes of JSON");
            return null;
        }
        return raw;
    }

    private int MaxRetries(JsonElement body, FieldErrors errors)
    {
        if (!body.TryGetProperty("max_retries", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return DefaultMaxRetries;
        }
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var retries))
        {
            errors.Add("max_retries", "must be an integer");
            return DefaultMaxRetries;
        }
        if (retries < 0 || retries > limits.MaxRetries)
        {
            errors.Add("max_retries", $"must be between 0 and {limits.MaxRetries}");
        }
        return retries;
    }

    private IReadOnlyDictionary<string, string>? Headers(JsonElement body, FieldErrors errors)
    {
        if (!body.TryGetProperty("headers", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add("headers", "must be an object of header names to string values");
            return null;
        }
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in value.EnumerateObject())
        {
            if (headers.Count == limits.MaxHeaders)
            {
                errors.Add("headers", $"must have at most {limits.MaxHeaders} entries");
                return null;
            }
            var field = $"headers.{Truncate(header.Name)}";
            if (!HeaderName().IsMatch(header.Name) || header.Name.Length > SubmissionLimits.MaxHeaderNameLength)
            {
                errors.Add(field, "is not a valid HTTP header name");
                continue;
            }
            if (ReservedHeaders.Contains(header.Name) || header.Name.StartsWith("X-Orchestrator-", StringComparison.OrdinalIgnoreCase))
            {
                errors.Add(field, "is set by the orchestrator and cannot be overridden");
                continue;
            }
            if (header.Value.ValueKind != JsonValueKind.String)
            {
                errors.Add(field, $"must be a string, not {Describe(header.Value.ValueKind)}");
                continue;
            }
            var text = BoundedHeaderValue(header.Value, field, errors);
            if (text is not null && !headers.TryAdd(header.Name, text))
            {
                errors.Add(field, "appears more than once");
            }
        }
        return headers.Count == 0 ? null : headers;
    }

    private static string? BoundedHeaderValue(JsonElement value, string field, FieldErrors errors)
    {
        string text;
        try
        {
            text = value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            errors.Add(field, "is not valid Unicode");
            return null;
        }
        if (text.Length > SubmissionLimits.MaxHeaderValueLength || text.Any(c => c is '\r' or '\n' or '\0' || c > '\u007e' || (c < ' ' && c != '\t')))
        {
            errors.Add(field, $"must be visible ASCII and at most {SubmissionLimits.MaxHeaderValueLength} characters");
            return null;
        }
        return text;
    }

    private static string? IdempotencyKey(JsonElement body, string? headerKey, FieldErrors errors)
    {
        string? bodyKey = null;
        if (body.TryGetProperty("idempotency_key", out var value) && value.ValueKind != JsonValueKind.Null)
        {
            bodyKey = BoundedString(value, "idempotency_key", SubmissionLimits.MaxFieldLength, errors);
        }
        if (headerKey is null)
        {
            return bodyKey;
        }
        if (bodyKey is not null && bodyKey != headerKey)
        {
            errors.Add("idempotency_key", "differs from the Idempotency-Key header");
        }
        return headerKey;
    }

    private static bool IsWellFormedUtf16(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return false;
                }
                i++;
            }
            else if (char.IsLowSurrogate(text[i]))
            {
                return false;
            }
        }
        return true;
    }

    private static string Truncate(string name) => name.Length <= 64 ? name : name[..64] + "…";

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$")]
    private static partial Regex Rfc3339();

    [GeneratedRegex(@"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")]
    private static partial Regex HeaderName();

    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,249}$")]
    private static partial Regex TopicName();
}
