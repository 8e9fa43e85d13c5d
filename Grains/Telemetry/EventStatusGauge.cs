using Orchestrator.Grains.Events;
using Orchestrator.Grains.Storage;

namespace Orchestrator.Grains.Telemetry;

/// <summary>
/// Events by status as a gauge, from the statistics snapshot the maintenance grain keeps —
/// a read of a handful of rows per scrape, never a COUNT(*) over the events.
/// </summary>
public sealed class EventStatusGauge
{
    private volatile IReadOnlyDictionary<EventStatus, long> _counts = new Dictionary<EventStatus, long>();

    public EventStatusGauge(OrchestratorMetrics metrics, EventStatisticsStore statistics)
    {
        Statistics = statistics;
        metrics.Meter.CreateObservableGauge("orchestrator_events", () => _counts.Select(c =>
            new System.Diagnostics.Metrics.Measurement<long>(c.Value, new KeyValuePair<string, object?>("status", c.Key.ToColumnName()))),
            description: "Events by status, as of the last statistics refresh.");
    }

    private EventStatisticsStore Statistics { get; }

    public async Task RefreshAsync(CancellationToken cancellationToken) =>
        _counts = await Statistics.ReadTotalsAsync(cancellationToken);
}
