using Orchestrator.Grains.Telemetry;

namespace Orchestrator.Silo.Dashboard;

/// <summary>One second of the node's activity, and latency percentiles over the last ten seconds.</summary>
public sealed record ThroughputSample(
    DateTimeOffset At, double Received, double Persisted, double Fired, double Delivered, double Failed,
    double LagP50Ms, double LagP95Ms, double LagP99Ms, double LatencyP50Ms, double LatencyP95Ms, double LatencyP99Ms);

/// <summary>
/// Samples this node's counters every second and keeps five minutes of per-second rates for the
/// dashboard's charts; percentiles come from the histograms' buckets (upper bounds, so they
/// err late, never early).
/// </summary>
public sealed class ThroughputHistory(PrometheusExporter exporter) : BackgroundService
{
    private const int Keep = 300;
    private const int PercentileWindow = 10;
    private static readonly string[] Counters =
    [
        "orchestrator_events_received", "orchestrator_events_persisted", "orchestrator_events_fired",
        "orchestrator_events_delivered", "orchestrator_events_failed",
    ];

    private readonly Queue<ThroughputSample> _samples = new();
    private readonly Queue<(long[] Lag, long[] Latency)> _histograms = new();

    public IReadOnlyList<ThroughputSample> Samples
    {
        get
        {
            lock (_samples)
            {
                return _samples.ToList();
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var previous = Counters.Select(exporter.CounterTotal).ToArray();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var totals = Counters.Select(exporter.CounterTotal).ToArray();
            var (lagBounds, lag) = exporter.HistogramBuckets("orchestrator_firing_lag_seconds");
            var (latencyBounds, latency) = exporter.HistogramBuckets("orchestrator_delivery_latency_seconds");
            lock (_samples)
            {
                _histograms.Enqueue((lag, latency));
                if (_histograms.Count > PercentileWindow + 1)
                {
                    _histograms.Dequeue();
                }
                var oldest = _histograms.Peek();
                var lagWindow = Delta(lag, oldest.Lag);
                var latencyWindow = Delta(latency, oldest.Latency);
                _samples.Enqueue(new ThroughputSample(DateTimeOffset.UtcNow,
                    totals[0] - previous[0], totals[1] - previous[1], totals[2] - previous[2], totals[3] - previous[3], totals[4] - previous[4],
                    Percentile(lagBounds, lagWindow, 0.50), Percentile(lagBounds, lagWindow, 0.95), Percentile(lagBounds, lagWindow, 0.99),
                    Percentile(latencyBounds, latencyWindow, 0.50), Percentile(latencyBounds, latencyWindow, 0.95), Percentile(latencyBounds, latencyWindow, 0.99)));
                if (_samples.Count > Keep)
                {
                    _samples.Dequeue();
                }
            }
            previous = totals;
        }
    }

    private static long[] Delta(long[] now, long[] then) =>
        then.Length == now.Length ? now.Select((n, i) => n - then[i]).ToArray() : now;

    /// <summary>The upper bound (ms) of the bucket holding the given quantile; 0 with no data.</summary>
    private static double Percentile(double[] bounds, long[] counts, double quantile)
    {
        var total = counts.Sum();
        if (total == 0)
        {
            return 0;
        }
        var rank = Math.Ceiling(quantile * total);
        long seen = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            seen += counts[i];
            if (seen >= rank)
            {
                return double.IsInfinity(bounds[i]) ? bounds[^2] * 1000 : bounds[i] * 1000;
            }
        }
        return bounds[^2] * 1000;
    }
}
