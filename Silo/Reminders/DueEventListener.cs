using Npgsql;
using Orchestrator.Grains.Storage.Events;

namespace Orchestrator.Silo.Reminders;

/// <summary>
/// Holds a LISTEN on the events-due channel and wakes the reminder loop whenever any node
/// stores an event that falls due soon, so a silo does not wait out its poll interval.
/// </summary>
public sealed class DueEventListener(NpgsqlDataSource dataSource, ReminderWakeups wakeups, ILogger<DueEventListener> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, _) => wakeups.DueSoon.Set();
                await using (var listen = new NpgsqlCommand($"LISTEN {EventStore.DueChannel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                // Anything stored while we were not listening: look once.
                wakeups.DueSoon.Set();
                while (true)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Listening for due events failed, retrying: {Reason}", ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }
}
