using Orchestrator.Grains.Configuration;
using Orchestrator.Grains.Storage;

namespace Orchestrator.Grains.Maintenance;

/// <summary>Recounts events by tenant and status, so no API call or scrape ever counts the table.</summary>
public sealed class StatisticsRefreshDuty(EventStatisticsStore statistics, MaintenanceOptions options) : IMaintenanceDuty
{
    public string Name => "statistics_refresh";

    public TimeSpan Interval => options.StatisticsInterval;

    public async Task<DutyOutcome> RunOnceAsync(CancellationToken cancellationToken)
    {
        var counted = await statistics.RefreshAsync(cancellationToken);
        return new DutyOutcome(counted, $"counted {counted} events");
    }
}
