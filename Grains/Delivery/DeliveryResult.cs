namespace Orchestrator.Grains.Delivery;

public enum DeliveryOutcome
{
    /// <summary>The destination accepted the event.</summary>
    Delivered,
    /// <summary>A failure worth retrying: 5xx, 408, 425, 429, a timeout, a refused connection, an open circuit.</summary>
    Failed,
    /// <summary>The destination refused the event for good (another 4xx); retrying cannot help.</summary>
    Rejected,
    /// <summary>Not attempted: the destination had no free capacity in time.</summary>
    Deferred,
}

public sealed record DeliveryResult(DeliveryOutcome Outcome, int? StatusCode, TimeSpan? RetryAfter, string? Error)
{
    public static DeliveryResult Delivered(int? statusCode) => new(DeliveryOutcome.Delivered, statusCode, null, null);

    public static DeliveryResult Failed(string error, int? statusCode = null, TimeSpan? retryAfter = null) =>
        new(DeliveryOutcome.Failed, statusCode, retryAfter, error);

    public static DeliveryResult Rejected(string error, int? statusCode = null) =>
        new(DeliveryOutcome.Rejected, statusCode, null, error);

    public static DeliveryResult Deferred(string error, TimeSpan retryAfter) =>
        new(DeliveryOutcome.Deferred, null, retryAfter, error);
}
