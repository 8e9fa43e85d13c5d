using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Orchestrator.Grains.Configuration;
using Orchestrator.Grains.Events;
using Orchestrator.Grains.Storage;

namespace Orchestrator.Grains.Delivery;

/// <summary>
/// POSTs the payload with the event's headers, an Idempotency-Key of the event id and the
/// Standard Webhooks signature headers, through the destination's gate — and the tenant's own
/// lane to it, if the tenant has destination limits. Waiting for them is bounded: an event that
/// cannot get a slot in time goes back to the queue unattempted rather than outliving its claim
/// lease. A destination the SSRF guard refuses at connect time is a dead letter.
/// </summary>
public sealed class HttpEventDelivery(
    HttpClient client, DestinationGates gates, WebhookSigner signer, TenantCache<TenantSettings> tenantSettings, DeliveryOptions options) : IEventDelivery
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const string WebhookIdHeader = "webhook-id";
    public const string WebhookTimestampHeader = "webhook-timestamp";
    public const string WebhookSignatureHeader = "webhook-signature";

    /// <summary>The longest a destination's Retry-After pauses all its deliveries.</summary>
    private static readonly TimeSpan MaxPause = TimeSpan.FromMinutes(5);
    public const string EventIdHeader = "X-Orchestrator-Event-Id";
    public const string AttemptHeader = "X-Orchestrator-Attempt";

    public DeliveryType Type => DeliveryType.Http;

    public async Task<DeliveryResult> DeliverAsync(DueEvent due, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(due.Destination, UriKind.Absolute, out var destination))
        {
            return DeliveryResult.Rejected("destination is not an absolute URL");
        }
        var gate = gates.For(destination);
        if (gate.PausedFor(DateTimeOffset.UtcNow) is { Ticks: > 0 } paused)
        {
            return DeliveryResult.Deferred($"{gate.Authority} asked to slow down", paused);
        }
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        string signature;
        DeliveryLane? tenantLane;
        try
        {
            signature = await signer.SignAsync(due.TenantId, due.Id.ToString(), timestamp, due.PayloadJson, cancellationToken);
            tenantLane = gates.ForTenant(due.TenantId, gate, await tenantSettings.GetAsync(due.TenantId, cancellationToken));
        }
        catch (Npgsql.NpgsqlException ex)
        {
            return DeliveryResult.Failed($"signing secrets or tenant settings unavailable: {ex.Message}");
        }

        using var queueWait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        queueWait.CancelAfter(options.DestinationQueueWait);
        IDisposable? tenantSlot = null;
        IDisposable slot;
        try
        {
            // The tenant's lane first, then the destination's: always in that order.
            tenantSlot = tenantLane is null ? null : await tenantLane.EnterAsync(queueWait.Token);
            slot = await gate.Lane.EnterAsync(queueWait.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            tenantSlot?.Dispose();
            return DeliveryResult.Deferred($"{gate.Authority} had no free delivery slot within {options.DestinationQueueWait.TotalSeconds:0.#}s", TimeSpan.FromSeconds(1));
        }

        using (tenantSlot)
        using (slot)
        {
            var result = await AttemptAsync(due, destination, gate, timestamp, signature, cancellationToken);
            gate.CountAttempt(result.Outcome != DeliveryOutcome.Delivered);
            if (result is { StatusCode: 429 or 503, RetryAfter: { } retryAfter })
            {
                gate.PauseUntil(DateTimeOffset.UtcNow + (retryAfter < MaxPause ? retryAfter : MaxPause));
            }
            return result;
        }
    }

    private async Task<DeliveryResult> AttemptAsync(
        DueEvent due, Uri destination, DestinationGate gate, long timestamp, string signature, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await gate.Pipeline.ExecuteAsync(
                static async (state, token) =>
                {
                    using var request = BuildRequest(state.due, state.destination, state.timestamp, state.signature);
                    return await state.client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token);
                },
                (due, destination, client, timestamp, signature),
                cancellationToken);
            return Classify(response);
        }
        catch (BrokenCircuitException ex)
        {
            return DeliveryResult.Failed($"circuit open for {gate.Authority}", retryAfter: ex.RetryAfter);
        }
        catch (TimeoutRejectedException)
        {
            return DeliveryResult.Failed($"timed out after {options.Policy.Timeout.TotalSeconds:0.###}s");
        }
        catch (HttpRequestException ex) when (ex.InnerException is DestinationRefusedException refused)
        {
            return DeliveryResult.Rejected($"destination refused: {refused.Message}");
        }
        catch (HttpRequestException ex)
        {
            return DeliveryResult.Failed($"request failed: {ex.HttpRequestError}");
        }
    }

    private static HttpRequestMessage BuildRequest(DueEvent due, Uri destination, long timestamp, string signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, destination)
        {
            Content = new StringContent(due.PayloadJson, Encoding.UTF8, "application/json"),
        };
        if (due.Headers is not null)
        {
            foreach (var (name, value) in due.Headers)
            {
                if (!request.Headers.TryAddWithoutValidation(name, value))
                {
                    request.Content.Headers.Remove(name);
                    request.Content.Headers.TryAddWithoutValidation(name, value);
                }
            }
        }
        var eventId = due.Id.ToString();
        request.Headers.Remove(IdempotencyKeyHeader);
        request.Headers.TryAddWithoutValidation(IdempotencyKeyHeader, eventId);
        request.Headers.TryAddWithoutValidation(EventIdHeader, eventId);
        request.Headers.TryAddWithoutValidation(AttemptHeader, due.Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation(WebhookIdHeader, eventId);
        request.Headers.TryAddWithoutValidation(WebhookTimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation(WebhookSignatureHeader, signature);
        return request;
    }

    private static DeliveryResult Classify(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        if (status is >= 200 and < 300)
        {
            return DeliveryResult.Delivered(status);
        }
        var error = $"destination answered {status} {response.ReasonPhrase}".TrimEnd();
        var retryable = status >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or (HttpStatusCode)425;
        return retryable
            ? DeliveryResult.Failed(error, status, RetryAfter(response.Headers.RetryAfter))
            : DeliveryResult.Rejected(error, status);
    }

    private static TimeSpan? RetryAfter(RetryConditionHeaderValue? header) => header switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };
}
