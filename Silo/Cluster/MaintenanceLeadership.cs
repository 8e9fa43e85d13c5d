using System.Diagnostics;
using Orchestrator.Grains.Configuration;
using Orchestrator.Grains.Maintenance;
using Orchestrator.Grains.Runtime;
using Orchestrator.Grains.Storage.Cluster;
using Orchestrator.Silo.Hosting;

namespace Orchestrator.Silo.Cluster;

/// <summary>
/// Competes for the maintenance lease and, while holding it, activates the singleton
/// maintenance grain's due duties. The holder renews every third of the lease and stops
/// acting at 90 % of it on its own clock, measured from before the renewal was sent, so a
/// holder that stalls stops before the lease can have passed to anyone else. A silo that
/// is not the holder sleeps until the current lease would expire, so a dead holder is
/// replaced within one lease period.
/// </summary>
public sealed class MaintenanceLeadership(
    ClusterLeaseStore leases,
    IGrainFactory grains,
    SiloIdentity silo,
    ClusterOptions options,
    ILogger<MaintenanceLeadership> logger) : BackgroundService
{
    private long _leaderUntilTicks;
    private long _epoch;

    public bool IsLeader => Stopwatch.GetTimestamp() < Interlocked.Read(ref _leaderUntilTicks);

    public long Epoch => Interlocked.Read(ref _epoch);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(HoldLeaseAsync(stoppingToken), RunDutiesAsync(stoppingToken));

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        var wasLeader = IsLeader;
        Interlocked.Exchange(ref _leaderUntilTicks, 0);
        await base.StopAsync(cancellationToken);
        if (wasLeader)
        {
            try
            {
                await leases.ReleaseAsync(MaintenanceGrain.LeaseName, silo.Id, cancellationToken);
                logger.LogInformation("Silo {SiloId} released the maintenance lease", silo.Id);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning("Releasing the maintenance lease failed; it will expire: {Reason}", ex.Message);
            }
        }
    }

    private async Task HoldLeaseAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = options.LeaderLease / 3;
            var sentAt = Stopwatch.GetTimestamp();
            try
            {
                var lease = await leases.AcquireOrRenewAsync(MaintenanceGrain.LeaseName, silo.Id, options.LeaderLease, stoppingToken);
                if (lease.Holder == silo.Id)
                {
                    var wasLeader = IsLeader;
                    Interlocked.Exchange(ref _epoch, lease.Epoch);
                    Interlocked.Exchange(ref _leaderUntilTicks, sentAt + (long)(options.LeaderLease.TotalSeconds * 0.9 * Stopwatch.Frequency));
                    if (!wasLeader)
                    {
                        logger.LogInformation("Silo {SiloId} leads maintenance (epoch {Epoch})", silo.Id, lease.Epoch);
                    }
                }
                else
                {
                    Interlocked.Exchange(ref _leaderUntilTicks, 0);
                    // Come back just as the holder's lease would run out.
                    wait = lease.Remaining + TimeSpan.FromMilliseconds(Random.Shared.Next(5, 50));
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Maintenance lease check failed: {Reason}", ex.Message);
                wait = options.LeaderLease / 10;
            }
            await Task.Delay(wait, stoppingToken);
        }
    }

    private async Task RunDutiesAsync(CancellationToken stoppingToken)
    {
        var maintenance = grains.GetGrain<IMaintenanceGrain>(Guid.Empty);
        using var timer = new PeriodicTimer(options.MaintenanceTick);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (!IsLeader)
            {
                continue;
            }
            try
            {
                await maintenance.RunDueAsync(silo.Id, Epoch, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Maintenance run failed: {Reason}", ex.Message);
            }
        }
    }
}
