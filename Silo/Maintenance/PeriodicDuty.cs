namespace Orchestrator.Silo.Maintenance;

/// <summary>
/// A background duty River-style: tick, run once, sleep a jittered interval. A failed run is
/// logged and the next tick tries again; the duty itself logs only when something happened.
/// </summary>
public abstract class PeriodicDuty(ILogger logger) : BackgroundService
{
    protected abstract TimeSpan Interval { get; }

    protected abstract Task RunOnceAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("{Duty} failed, next try in {Interval}: {Reason}", GetType().Name, Interval, ex.Message);
            }
            await Task.Delay(Interval * (0.9 + Random.Shared.NextDouble() * 0.2), stoppingToken);
        }
    }
}
