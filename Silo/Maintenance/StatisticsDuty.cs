using Orchestrator.Grains.Configuration;
using Orchestrator.Grains.Storage;

namespace Orchestrator.Silo.Maintenance;

/// <summary>
/// Refreshes the cached counts by status. Whichever silo gets there first counts; the others
/// see a fresh snapshot and skip, so the table is counted once per interval, not per silo.
/// </summary>
public sealed class StatisticsDuty(EventStatisticsStore statistics, IConfiguration configuration, ILogger<StatisticsDuty> logger) : PeriodicDuty(logger)
{
    private readonly TimeSpan _interval = configuration.GetMilliseconds("ORCH_STATISTICS_REFRESH_MS", 10_000, 100);

    protected override TimeSpan Interval => _interval;

    protected override Task RunOnceAsync(CancellationToken cancellationToken) =>
        statistics.RefreshAsync(_interval / 2, cancellationToken);
}
