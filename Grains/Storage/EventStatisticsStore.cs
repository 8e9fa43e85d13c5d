using Npgsql;
using Orchestrator.Grains.Events;

namespace Orchestrator.Grains.Storage;

/// <summary>Counts of events by tenant and status, as of the last refresh.</summary>
public sealed record EventStatistics(IReadOnlyDictionary<EventStatus, long> Counts, DateTimeOffset? AsOf);

/// <summary>
/// The event_statistics table: a periodic snapshot of counts by status, so that the
/// statistics endpoint and metrics read a handful of rows instead of counting the table.
/// </summary>
public sealed class EventStatisticsStore(NpgsqlDataSource dataSource)
{
    private const long RefreshLockKey = 0x4F524348535441; // "ORCHSTA"

    /// <summary>
    /// Recounts unless another node did so within <paramref name="freshness"/>; the advisory
    /// lock keeps several silos from counting at the same moment. Returns whether it counted.
    /// </summary>
    public async Task<bool> RefreshAsync(TimeSpan freshness, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var gate = Sql.Command(connection, transaction, """
            SELECT pg_try_advisory_xact_lock($1)
               AND NOT EXISTS (SELECT 1 FROM event_statistics WHERE refreshed_at > now() - $2)
            """, RefreshLockKey, freshness))
        {
            if (!(bool)(await gate.ExecuteScalarAsync(cancellationToken))!)
            {
                return false;
            }
        }
        await using (var refresh = Sql.Command(connection, transaction, """
            INSERT INTO event_statistics (tenant_id, status, event_count, refreshed_at)
            SELECT tenant_id, status, count(*), now() FROM events GROUP BY tenant_id, status
            ON CONFLICT (tenant_id, status)
            DO UPDATE SET event_count = EXCLUDED.event_count, refreshed_at = EXCLUDED.refreshed_at;
            DELETE FROM event_statistics WHERE refreshed_at <> now();
            """))
        {
            await refresh.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<EventStatistics> ReadAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(dataSource,
            "SELECT status, event_count, refreshed_at FROM event_statistics WHERE tenant_id = $1", tenantId);
        var counts = Enum.GetValues<EventStatus>().ToDictionary(s => s, _ => 0L);
        DateTimeOffset? asOf = null;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[ColumnValues.ToEventStatus(reader.GetString(0))] = reader.GetInt64(1);
            asOf = reader.GetFieldValue<DateTimeOffset>(2);
        }
        if (asOf is null)
        {
            // A tenant with no events yet: report when the snapshot was last taken at all.
            await reader.CloseAsync();
            await using var latest = Sql.Command(dataSource, "SELECT max(refreshed_at) FROM event_statistics");
            asOf = await latest.ExecuteScalarAsync(cancellationToken) is DateTime at ? new DateTimeOffset(at, TimeSpan.Zero) : null;
        }
        return new EventStatistics(counts, asOf);
    }
}
