using Npgsql;

namespace Orchestrator.Grains.Storage.Cluster;

public sealed record MaintenanceRunRow(
    string Duty, long? Period, Guid? SiloId, long? Epoch, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, long? Affected, string? Summary);

/// <summary>The maintenance_runs table, and the lock that keeps two duty runs from overlapping.</summary>
public sealed class MaintenanceRunStore(NpgsqlDataSource dataSource)
{
    private const long RunLockKey = 0x4F5243484D4E54; // "ORCHMNT"

    /// <summary>
    /// Claims the current period of a duty for the lease holder. Succeeds only while
    /// <paramref name="holder"/> still holds <paramref name="leaseName"/> at <paramref name="epoch"/>,
    /// and only once per period across the cluster. Returns the run's id (null when not claimed)
    /// and the current period on the database's clock.
    /// </summary>
    public async Task<(long? RunId, long Period)> ClaimPeriodAsync(
        string duty, TimeSpan interval, string leaseName, Guid holder, long epoch, CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(dataSource, """
            WITH current AS (SELECT floor(EXTRACT(EPOCH FROM now()) * 1000 / $2)::bigint AS period),
            claimed AS (
                INSERT INTO maintenance_runs (duty, period, silo_id, epoch)
                SELECT $1, period, $4, $5 FROM current
                WHERE EXISTS (SELECT 1 FROM cluster_leases
                              WHERE name = $3 AND holder = $4 AND epoch = $5 AND expires_at > now())
                ON CONFLICT (duty, period) DO NOTHING
                RETURNING id)
            SELECT (SELECT id FROM claimed), period FROM current
            """, duty, (long)interval.TotalMilliseconds, leaseName, holder, epoch);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.IsDBNull(0) ? null : reader.GetInt64(0), reader.GetInt64(1));
    }

    public async Task<long> StartManualAsync(string duty, Guid? siloId, CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(dataSource,
            "INSERT INTO maintenance_runs (duty, silo_id) VALUES ($1, $2::uuid) RETURNING id", duty, siloId);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task FinishAsync(long runId, long affected, string summary, CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(dataSource,
            "UPDATE maintenance_runs SET finished_at = now(), affected = $2, summary = $3 WHERE id = $1", runId, affected, summary);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The latest run of each duty.</summary>
    public async Task<IReadOnlyList<MaintenanceRunRow>> LatestAsync(CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(dataSource, """
            SELECT DISTINCT ON (duty) duty, period, silo_id, epoch, started_at, finished_at, affected, summary
            FROM maintenance_runs ORDER BY duty, started_at DESC
            """);
        var runs = new List<MaintenanceRunRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            runs.Add(new MaintenanceRunRow(reader.GetString(0),
                reader.IsDBNull(1) ? null : reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetGuid(2),
                reader.IsDBNull(3) ? null : reader.GetInt64(3), reader.GetFieldValue<DateTimeOffset>(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
                reader.IsDBNull(6) ? null : reader.GetInt64(6), reader.IsDBNull(7) ? null : reader.GetString(7)));
        }
        return runs;
    }

    /// <summary>Holds a session lock for as long as the returned handle lives, so duty runs never overlap.</summary>
    public async Task<IAsyncDisposable> LockRunsAsync(CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = Sql.Command(connection, null, "SELECT pg_advisory_lock($1)", RunLockKey);
            await command.ExecuteNonQueryAsync(cancellationToken);
            return new RunLock(connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private sealed class RunLock(NpgsqlConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var command = Sql.Command(connection, null, "SELECT pg_advisory_unlock($1)", RunLockKey);
                await command.ExecuteNonQueryAsync();
            }
            finally
            {
                // Closing the session would release the lock anyway; the pool resets it.
                await connection.DisposeAsync();
            }
        }
    }
}
