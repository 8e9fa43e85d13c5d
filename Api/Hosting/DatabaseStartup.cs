using Npgsql;
using Orchestrator.Grains.Configuration;
using Orchestrator.Grains.Storage;
using Orchestrator.Grains.Storage.Events;

namespace Orchestrator.Api.Hosting;

/// <summary>
/// Before a node serves anything: wait for PostgreSQL (it may still be starting), apply the
/// migrations, and make sure today's partitions exist.
/// </summary>
public static class DatabaseStartup
{
    public static async Task PrepareAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseStartup));
        var configuration = services.GetRequiredService<IConfiguration>();
        var database = services.GetRequiredService<DatabaseOptions>();
        var waitLimit = TimeSpan.FromSeconds(configuration.GetInt("ORCH_DB_STARTUP_TIMEOUT_SECONDS", 60, 0));
        var deadline = DateTimeOffset.UtcNow + waitLimit;
        var delay = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            try
            {
                await services.GetRequiredService<SchemaMigrator>().MigrateAsync(cancellationToken);
                break;
            }
            catch (NpgsqlException ex) when (ex.IsTransient && DateTimeOffset.UtcNow < deadline)
            {
                logger.LogWarning("Waiting for PostgreSQL at {Host}:{Port}: {Reason}", database.Host, database.Port, ex.Message);
                await Task.Delay(delay, cancellationToken);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5_000));
            }
        }
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var daysAhead = MaintenanceOptions.FromConfiguration(configuration).PartitionDaysAhead;
        await services.GetRequiredService<EventStore>().EnsurePartitionsAsync(today.AddDays(-1), daysAhead + 2, cancellationToken);
    }
}
