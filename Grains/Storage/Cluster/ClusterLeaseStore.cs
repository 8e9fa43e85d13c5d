using Npgsql;

namespace Orchestrator.Grains.Storage.Cluster;

/// <summary>A lease as the database sees it; <see cref="Remaining"/> is measured on the database's clock.</summary>
public sealed record LeaseState(Guid Holder, long Epoch, DateTimeOffset AcquiredAt, DateTimeOffset ExpiresAt, TimeSpan Remaining);

/// <summary>The cluster_leases table: named leases that any silo may take once they expire.</summary>
public sealed class ClusterLeaseStore(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Takes the lease if it is free or expired, or extends it if <paramref name="holder"/> holds it.
    /// The epoch grows only when the holder changes. Returns the lease as it now stands, whoever holds it.
    /// </summary>
    public async Task<LeaseState> AcquireOrRenewAsync(string name, Guid holder, TimeSpan duration, CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(dataSource, """
            WITH taken AS (
                INSERT INTO cluster_leases AS l (name, holder, epoch, acquired_at, expires_at)
                VALUES ($1, $2, 1, now(), now() + $3)
                ON CONFLICT (name) DO UPDATE
                SET holder = EXCLUDED.holder,
                    epoch = CASE WHEN l.holder = EXCLUDED.holder THEN l.epoch ELSE l.epoch + 1 END,
                    acquired_at = CASE WHEN l.holder = EXCLUDED.holder THEN l.acquired_at ELSE now() END,
                    expires_at = EXCLUDED.expires_at
                WHERE l.holder = EXCLUDED.holder OR l.expires_at < now()
                RETURNING holder, epoch, acquired_at, expires_at),
            current AS (
                SELECT holder, epoch, acquired_at, expires_at FROM taken
                UNION ALL
                SELECT holder, epoch, acquired_at, expires_at FROM cluster_leases
                WHERE name = $1 AND NOT EXISTS (SELECT 1 FROM taken))
            SELECT holder, epoch, acquired_at, expires_at, GREATEST(0, EXTRACT(EPOCH FROM expires_at - now()) * 1000)::float8
            FROM current
            """, name, holder, duration);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return ReadLease(reader);
    }

    /// <summary>Gives the lease up at once, so that another silo need not wait for it to expire.</summary>
    public async Task ReleaseAsync(string name, Guid holder, CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(dataSource,
            "UPDATE cluster_leases SET expires_at = now() - interval '1 millisecond' WHERE name = $1 AND holder = $2", name, holder);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<LeaseState?> GetAsync(string name, CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(dataSource, """
            SELECT holder, epoch, acquired_at, expires_at, GREATEST(0, EXTRACT(EPOCH FROM expires_at - now()) * 1000)::float8
            FROM cluster_leases WHERE name = $1
            """, name);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadLease(reader) : null;
    }

    private static LeaseState ReadLease(NpgsqlDataReader reader) =>
        new(reader.GetGuid(0), reader.GetInt64(1), reader.GetFieldValue<DateTimeOffset>(2),
            reader.GetFieldValue<DateTimeOffset>(3), TimeSpan.FromMilliseconds(reader.GetDouble(4)));
}
