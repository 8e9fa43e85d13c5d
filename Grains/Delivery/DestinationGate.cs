using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Orchestrator.Grains.Configuration;

namespace Orchestrator.Grains.Delivery;

/// <summary>
/// What stands between the silo and one destination (scheme, host and port): its lane
/// (concurrency and rate limits), and a Polly pipeline of circuit breaker around a per-attempt
/// timeout. A failing destination trips its own breaker and slows only its own events.
/// </summary>
public sealed class DestinationGate
{
    public DestinationGate(string authority, DeliveryLane lane, DeliveryPolicy policy)
    {
        Authority = authority;
        Lane = lane;
        Circuit = new CircuitBreakerStateProvider();
        Pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                FailureRatio = policy.CircuitFailureRatio,
                MinimumThroughput = policy.CircuitMinimumThroughput,
                SamplingDuration = policy.CircuitSamplingDuration,
                BreakDuration = policy.CircuitBreakDuration,
                StateProvider = Circuit,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(response => (int)response.StatusCode >= 500 || (int)response.StatusCode == 429),
            })
            .AddTimeout(policy.Timeout)
            .Build();
    }

    public string Authority { get; }

    public DeliveryLane Lane { get; }

    public int Concurrency => Lane.Concurrency;

    public CircuitBreakerStateProvider Circuit { get; }

    public ResiliencePipeline<HttpResponseMessage> Pipeline { get; }

    public int InFlight => Lane.InFlight;

    private long _attempts;
    private long _failures;
    private long _pausedUntilTicks;

    /// <summary>
    /// Set when the destination answers 429 or 503 with Retry-After: until then no new attempt is
    /// made to it (its events wait unattempted), so a struggling receiver is slowed down rather
    /// than hammered by every event that falls due meanwhile.
    /// </summary>
    public TimeSpan PausedFor(DateTimeOffset now)
    {
        var until = Interlocked.Read(ref _pausedUntilTicks);
        return until > now.UtcTicks ? TimeSpan.FromTicks(until - now.UtcTicks) : TimeSpan.Zero;
    }

    public void PauseUntil(DateTimeOffset until)
    {
        long current;
        do
        {
            current = Interlocked.Read(ref _pausedUntilTicks);
            if (until.UtcTicks <= current)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _pausedUntilTicks, until.UtcTicks, current) != current);
    }

    /// <summary>Attempts made to this destination since the silo started.</summary>
    public long Attempts => Interlocked.Read(ref _attempts);

    /// <summary>Of those, the ones that failed (any outcome but delivered).</summary>
    public long Failures => Interlocked.Read(ref _failures);

    public void CountAttempt(bool failed)
    {
        Interlocked.Increment(ref _attempts);
        if (failed)
        {
            Interlocked.Increment(ref _failures);
        }
    }
}
