using Microsoft.Extensions.Configuration;

namespace Orchestrator.Grains.Configuration;

/// <summary>The Polly policy each destination gets: per-attempt timeout and circuit breaker.</summary>
public sealed record DeliveryPolicy(
    TimeSpan Timeout,
    double CircuitFailureRatio,
    int CircuitMinimumThroughput,
    TimeSpan CircuitSamplingDuration,
    TimeSpan CircuitBreakDuration);

/// <summary>
/// How deliveries behave: the per-destination policy, concurrency, rate and queueing. A
/// destination named in ORCH_DESTINATION_LIMITS or ORCH_DESTINATION_RATE_LIMITS ("host=N" or
/// "host:port=N", comma separated) gets its own concurrency or per-second rate instead of the
/// defaults, ORCH_DESTINATION_CONCURRENCY and ORCH_DESTINATION_RATE_PER_SECOND (0: no rate limit).
/// </summary>
public sealed record DeliveryOptions(
    DeliveryPolicy Policy,
    int DestinationConcurrency,
    int DestinationRatePerSecond,
    TimeSpan DestinationQueueWait,
    IReadOnlyDictionary<string, int> DestinationLimits,
    IReadOnlyDictionary<string, int> DestinationRates)
{
    /// <summary>The concurrency limit for a destination's authority (host, or host:port).</summary>
    public int ConcurrencyFor(Uri destination) =>
        DestinationLimits.TryGetValue(destination.Authority, out var limit) ? limit : DestinationConcurrency;

    /// <summary>The most deliveries a second that may start to a destination; null for no limit.</summary>
    public int? RateFor(Uri destination) =>
        DestinationRates.TryGetValue(destination.Authority, out var rate) ? rate
        : DestinationRatePerSecond > 0 ? DestinationRatePerSecond : null;

    public static DeliveryOptions FromConfiguration(IConfiguration configuration) => new(
        new DeliveryPolicy(
            configuration.GetMilliseconds("ORCH_DELIVERY_TIMEOUT_MS", 10_000, 100, 300_000),
            configuration.GetInt("ORCH_CIRCUIT_FAILURE_PERCENT", 50, 1, 100) / 100.0,
            configuration.GetInt("ORCH_CIRCUIT_MIN_THROUGHPUT", 20, 2, 100_000),
            configuration.GetMilliseconds("ORCH_CIRCUIT_SAMPLING_MS", 30_000, 500),
            configuration.GetMilliseconds("ORCH_CIRCUIT_BREAK_MS", 15_000, 500)),
        configuration.GetInt("ORCH_DESTINATION_CONCURRENCY", 100, 1, 10_000),
        configuration.GetInt("ORCH_DESTINATION_RATE_PER_SECOND", 0, 0, 1_000_000),
        configuration.GetMilliseconds("ORCH_DESTINATION_QUEUE_WAIT_MS", 20_000, 1),
        ParseLimits(configuration, "ORCH_DESTINATION_LIMITS"),
        ParseLimits(configuration, "ORCH_DESTINATION_RATE_LIMITS"));

    private static Dictionary<string, int> ParseLimits(IConfiguration configuration, string name)
    {
        var limits = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in configuration.GetString(name, "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = entry.LastIndexOf('=');
            if (equals <= 0 || !int.TryParse(entry[(equals + 1)..], out var limit) || limit < 1)
            {
                throw new InvalidOperationException($"{name} entries must be host=N or host:port=N; got '{entry}'.");
            }
            limits[entry[..equals]] = limit;
        }
        return limits;
    }
}
