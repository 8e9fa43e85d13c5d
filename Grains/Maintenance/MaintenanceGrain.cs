using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Orchestrator.Grains.Storage.Cluster;

namespace Orchestrator.Grains.Maintenance;

/// <summary>
/// The singleton maintenance grain. Scheduled runs happen on the lease holder: each duty's
/// current period is claimed in the database (fenced by the lease and its epoch) before it
/// runs, so a period runs once however many silos there are and whoever leads. Every run,
/// scheduled or manual, holds the run lock, so two runs never overlap.
/// </summary>
public sealed class MaintenanceGrain(
    IEnumerable<IMaintenanceDuty> duties,
    MaintenanceRunStore runs,
    SiloStore silos,
    ClusterLeaseStore leases,
    ILogger<MaintenanceGrain> logger) : IMaintenanceGrain
{
    public const string LeaseName = "maintenance";

    private readonly IReadOnlyList<IMaintenanceDuty> _duties = duties.ToList();

    // The last period each duty was seen claimed (by anyone): no need to ask again until the next.
    private readonly Dictionary<string, long> _lastClaimedPeriod = [];

    public async Task<IReadOnlyList<DutyReport>> RunNowAsync(CancellationToken cancellationToken)
    {
        var reports = new List<DutyReport>();
        await using var runLock = await runs.LockRunsAsync(cancellationToken);
        foreach (var duty in _duties)
        {
            var runId = await runs.StartManualAsync(duty.Name, null, cancellationToken);
            reports.Add(await RunAsync(duty, runId, cancellationToken));
        }
        return reports;
    }

    public async Task<IReadOnlyList<DutyReport>> RunDueAsync(Guid siloId, long epoch, CancellationToken cancellationToken)
    {
        var reports = new List<DutyReport>();
        foreach (var duty in _duties)
        {
            var localPeriod = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / (long)duty.Interval.TotalMilliseconds;
            lock (_lastClaimedPeriod)
            {
                if (_lastClaimedPeriod.TryGetValue(duty.Name, out var last) && localPeriod <= last)
                {
                    continue;
                }
            }
            var (runId, period) = await runs.ClaimPeriodAsync(duty.Name, duty.Interval, LeaseName, siloId, epoch, cancellationToken);
            lock (_lastClaimedPeriod)
            {
                _lastClaimedPeriod[duty.Name] = period;
            }
            if (runId is null)
            {
                continue; // this period already ran, or the lease is no longer ours
            }
            await using var runLock = await runs.LockRunsAsync(cancellationToken);
            reports.Add(await RunAsync(duty, runId.Value, cancellationToken));
        }
        return reports;
    }

    public async Task<ClusterView> GetClusterViewAsync(CancellationToken cancellationToken)
    {
        var members = await silos.ListAsync(TimeSpan.FromHours(1), cancellationToken);
        var lease = await leases.GetAsync(LeaseName, cancellationToken);
        var latest = await runs.LatestAsync(cancellationToken);
        return new ClusterView(
            members.Select(s => new SiloView(s.Id, s.Host, s.StartedAt, s.LastHeartbeatAt, s.Status, s.EndedAt, s.InFlight, s.Fired)).ToList(),
            lease is { Remaining.Ticks: > 0 } ? new LeaderView(lease.Holder, lease.Epoch, lease.AcquiredAt, lease.ExpiresAt) : null,
            latest.Select(r => new DutyRunView(r.Duty, r.SiloId, r.StartedAt, r.FinishedAt, r.Affected, r.Summary)).ToList());
    }

    private async Task<DutyReport> RunAsync(IMaintenanceDuty duty, long runId, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        DutyOutcome outcome;
        try
        {
            outcome = await duty.RunOnceAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning("Maintenance duty {Duty} failed: {Reason}", duty.Name, ex.Message);
            outcome = new DutyOutcome(0, $"failed: {ex.Message}");
        }
        await runs.FinishAsync(runId, outcome.Affected, outcome.Summary, cancellationToken);
        if (outcome.Affected > 0 && duty is not StatisticsRefreshDuty)
        {
            logger.LogInformation("Maintenance duty {Duty}: {Summary}", duty.Name, outcome.Summary);
        }
        return new DutyReport(duty.Name, outcome.Affected, outcome.Summary, clock.Elapsed);
    }
}
