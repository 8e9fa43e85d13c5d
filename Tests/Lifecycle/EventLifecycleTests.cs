using Orchestrator.Grains.Configuration;
using Orchestrator.Grains.Delivery;
using Orchestrator.Grains.Events;

namespace Orchestrator.Tests.Lifecycle;

public sealed class EventLifecycleTests
{
    private static readonly RetryBackoff Backoff = new(new RetryOptions(
        TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5)));

    private static DueEvent Due(int attempt, int maxRetries = 3) => new(
        Guid.CreateVersion7(), "tenant", "job", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, DeliveryType.Http,
        "http://example.com/", "{}", null, maxRetries, attempt);

    [Fact]
    public void A_delivered_event_completes()
    {
        var transition = EventLifecycle.AfterAttempt(Due(1), DeliveryResult.Delivered(204), Backoff);

        Assert.Equal(EventStatus.Completed, transition.Status);
        Assert.Equal(204, transition.StatusCode);
    }

    [Fact]
    public void A_failure_with_retries_left_goes_back_to_pending_after_a_backoff()
    {
        var transition = EventLifecycle.AfterAttempt(Due(2), DeliveryResult.Failed("503", 503), Backoff);

        Assert.Equal(EventStatus.Pending, transition.Status);
        Assert.InRange(transition.RetryDelay, TimeSpan.Zero, TimeSpan.FromSeconds(2));
        Assert.False(transition.Deferred);
    }

    [Fact]
    public void The_last_allowed_attempt_failing_makes_a_dead_letter()
    {
        // max_retries = 3: the first attempt and three retries, so attempt 4 is the last.
        Assert.Equal(EventStatus.Pending, EventLifecycle.AfterAttempt(Due(3), DeliveryResult.Failed("x"), Backoff).Status);
        var last = EventLifecycle.AfterAttempt(Due(4), DeliveryResult.Failed("boom", 500), Backoff);

        Assert.Equal(EventStatus.DeadLetter, last.Status);
        Assert.Contains("retries exhausted after 4 attempts", last.Error);
    }

    [Fact]
    public void No_retries_means_one_attempt()
    {
        Assert.Equal(EventStatus.DeadLetter, EventLifecycle.AfterAttempt(Due(1, maxRetries: 0), DeliveryResult.Failed("x"), Backoff).Status);
    }

    [Fact]
    public void A_rejection_is_a_dead_letter_at_once()
    {
        var transition = EventLifecycle.AfterAttempt(Due(1), DeliveryResult.Rejected("410", 410), Backoff);

        Assert.Equal(EventStatus.DeadLetter, transition.Status);
        Assert.Equal(410, transition.StatusCode);
    }

    [Fact]
    public void A_deferred_attempt_returns_to_the_queue_without_using_a_retry()
    {
        var transition = EventLifecycle.AfterAttempt(Due(4), DeliveryResult.Deferred("busy", TimeSpan.FromSeconds(1)), Backoff);

        Assert.Equal(EventStatus.Pending, transition.Status);
        Assert.True(transition.Deferred);
        Assert.Equal(TimeSpan.FromSeconds(1), transition.RetryDelay);
    }
}
