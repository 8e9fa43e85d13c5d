using Orchestrator.Grains.Delivery;

namespace Orchestrator.Grains.Events;

/// <summary>
/// The event's state machine after one attempt: delivered → COMPLETED; a receiver that
/// refuses for good (a 4xx other than 408/425/429) → DEAD_LETTER at once; any other failure
/// → PENDING again after a backoff, until max_retries retries are used, then DEAD_LETTER.
/// </summary>
public static class EventLifecycle
{
    public static EventTransition AfterAttempt(DueEvent due, DeliveryResult result, RetryBackoff backoff)
    {
        if (result.Outcome == DeliveryOutcome.Delivered)
        {
            return Transition(due, EventStatus.Completed, TimeSpan.Zero, result);
        }
        if (result.Outcome == DeliveryOutcome.Deferred)
        {
            return Transition(due, EventStatus.Pending, result.RetryAfter ?? TimeSpan.Zero, result) with { Deferred = true };
        }
        if (result.Outcome == DeliveryOutcome.Rejected)
        {
            return Transition(due, EventStatus.DeadLetter, TimeSpan.Zero, result);
        }
        var retriesUsed = due.Attempt - 1;
        if (retriesUsed >= due.MaxRetries)
        {
            return Transition(due, EventStatus.DeadLetter, TimeSpan.Zero, result with
            {
                Error = $"retries exhausted after {due.Attempt} attempts: {result.Error}",
            });
        }
        return Transition(due, EventStatus.Pending, backoff.DelayBeforeRetry(due.Attempt, result.RetryAfter), result);
    }

    private static EventTransition Transition(DueEvent due, EventStatus status, TimeSpan delay, DeliveryResult result) =>
        new(due.Id, due.ScheduledAt, status, delay, result.StatusCode, result.Error);
}
