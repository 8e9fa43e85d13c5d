using Npgsql;

namespace Orchestrator.Grains.Storage.Cluster;

public sealed record SiloRow(Guid Id, string Host, DateTimeOffset StartedAt, DateTimeOffset LastHeartbeatAt, string Status, DateTimeOffset? EndedAt, int InFlight, long Fired);

/// <summary>The silos table: membership by heartbeat.</summary>
public sealed class SiloStore(NpgsqlDataSource dataSource)
{
    public async Task RegisterAsync(Guid id, string host, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(dataSource, """
            INSERT INTO silos (id, host, started_at, last_heartbeat_at, status) VALUES ($1, $2, $3, now(), 'ALIVE')
            ON CONFLICT (id) DO UPDATE SET last_heartbeat_at = now(), status = 'ALIVE', ended_at = NULL
            """, id, host, startedAt);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Beats, carrying the silo's deliveries in flight and reminders fired so far; returns false
    /// when the silo had been declared dead meanwhile (it is alive again now).
    /// </summary>
    public async Task<bool> HeartbeatAsync(Guid id, int inFlight, long fired, CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(dataSource, """
            UPDATE silos s SET last_heartbeat_at = now(), status = 'ALIVE', ended_at = NULL, in_flight = $2, fired = $3
            FROM (SELECT id, status FROM silos WHERE id = $1 FOR UPDATE) AS before
            WHERE s.id = before.id
            RETURNING before.status = 'ALIVE'
            """, id, inFlight, fired);
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    public async Task MarkStoppedAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(dataSource,
            "UPDATE silos SET status = 'STOPPED', ended_at = now() WHERE id = $1", id);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Declares every ALIVE silo silent for longer than <paramref name="silence"/> DEAD; returns them.</summary>
    public async Task<IReadOnlyList<Guid>> DeclareDeadAsync(TimeSpan silence, CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(dataSource, """
            UPDATE silos SET status = 'DEAD', ended_at = now()
            WHERE status = 'ALIVE' AND last_heartbeat_at < now() - $1
            RETURNING id
            """, silence);
        var dead = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            dead.Add(reader.GetGuid(0));
        }
        return dead;
    }

    /// <summary>Alive silos, and those that ended within the last <paramref name="recent"/>.</summary>
    public async Task<IReadOnlyList<SiloRow>> ListAsync(TimeSpan recent, CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(dataSource, """
            SELECT id, host, started_at, last_heartbeat_at, status, ended_at, in_flight, fired FROM silos
            WHERE status = 'ALIVE' OR ended_at > now() - $1
            ORDER BY started_at
            """, recent);
        var silos = new List<SiloRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            silos.Add(new SiloRow(reader.GetGuid(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2),
                reader.GetFieldValue<DateTimeOffset>(3), reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5), reader.GetInt32(6), reader.GetInt64(7)));
        }
        return silos;
    }
}
