using Orchestrator.Grains.Configuration;
using Orchestrator.Grains.Storage.Cluster;
using Orchestrator.Silo.Hosting;
using Orchestrator.Silo.Reminders;

namespace Orchestrator.Silo.Cluster;

/// <summary>
/// Registers this silo before it claims anything, heartbeats while it runs, and marks it
/// STOPPED after everything else has stopped — so any claim it still holds is recovered by
/// the leader at once instead of after the lease.
/// </summary>
public sealed class SiloMembership(SiloStore silos, SiloIdentity silo, ReminderService reminders, ClusterOptions options, ILogger<SiloMembership> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await silos.RegisterAsync(silo.Id, silo.Host, silo.StartedAt, cancellationToken);
        logger.LogInformation("Silo {SiloId} on {Host} joined the cluster", silo.Id, silo.Host);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.HeartbeatInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (!await silos.HeartbeatAsync(silo.Id, reminders.InFlight, reminders.Fired, stoppingToken))
                {
                    logger.LogWarning("Silo {SiloId} had been declared dead (heartbeats stalled); its claims were recovered and it is alive again", silo.Id);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Heartbeat failed: {Reason}", ex.Message);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await silos.MarkStoppedAsync(silo.Id, cancellationToken);
            logger.LogInformation("Silo {SiloId} left the cluster", silo.Id);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning("Could not mark silo {SiloId} stopped; it will be declared dead: {Reason}", silo.Id, ex.Message);
        }
    }
}
