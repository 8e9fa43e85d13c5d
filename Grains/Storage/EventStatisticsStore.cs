using Npgsql;
using Orchestrator.Grains.Events;

namespace Orchestrator.Grains.Storage;

/// <summary>Counts of events by tenant and status, as of the last refresh.</summary>
public sealed record EventStatistics(IReadOnlyDictionary<EventStatus, long> Counts, DateTimeOffset? AsOf);

/// <summary>PENDING events already due, and due within the next minute, five minutes and hour.</summary>
public sealed record DueBacklog(long Overdue, long NextMinute, long Next5Minutes, long NextHour, DateTimeOffset? AsOf);

/// <summary>
/// The event_statistics table: a periodic snapshot of counts by status, taken by the
/// maintenance grain, so that the statistics endpoint and metrics read a handful of rows
/// instead of counting the table.
/// </summary>
public sealed class EventStatisticsStore(NpgsqlDataSource dataSource)
{
    /// <summary>Recounts every tenant's events by status, replacing the snapshot in one transaction.</summary>
    public async Task<long> RefreshAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        long counted;
        await using (var refresh = Sql.Command(connection, transaction, """
            WITH counts AS (SELECT tenant_id, status, count(*) AS n FROM events GROUP BY tenant_id, status),
            saved AS (
                INSERT INTO event_statistics (tenant_id, status, event_count, refreshed_at)
                SELECT tenant_id, status, n, now() FROM counts
                ON CONFLICT (tenant_id, status)
                DO UPDATE SET event_count = EXCLUDED.event_count, refreshed_at = EXCLUDED.refreshed_at
                RETURNING event_count)
            SELECT COALESCE(sum(event_count), 0)::bigint FROM saved
            """))
        {
            counted = (long)(await refresh.ExecuteScalarAsync(cancellationToken))!;
        }
        await using (var stale = Sql.Command(connection, transaction, "DELETE FROM event_statistics WHERE refreshed_at <> now()"))
        {
            await stale.ExecuteNonQueryAsync(cancellationToken);
        }
        // A range of the due index, bounded to the next hour.
        await using (var backlog = Sql.Command(connection, transaction, """
            INSERT INTO event_backlog (overdue, next_minute, next_5_minutes, next_hour, refreshed_at)
            SELECT count(*) FILTER (WHERE due_at <= now()),
                   count(*) FILTER (WHERE due_at > now() AND due_at <= now() + interval '1 minute'),
                   count(*) FILTER (WHERE due_at > now() AND due_at <= now() + interval '5 minutes'),
                   count(*) FILTER (WHERE due_at > now()),
                   now()
            FROM events WHERE status = 'PENDING' AND due_at <= now() + interval '1 hour'
            ON CONFLICT (singleton) DO UPDATE SET overdue = EXCLUDED.overdue, next_minute = EXCLUDED.next_minute,
                next_5_minutes = EXCLUDED.next_5_minutes, next_hour = EXCLUDED.next_hour, refreshed_at = EXCLUDED.refreshed_at
            """))
        {
            await backlog.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return counted;
    }

    public async Task<DueBacklog> ReadBacklogAsync(CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(dataSource, "SELECT overdue, next_minute, next_5_minutes, next_hour, refreshed_at FROM event_backlog");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new DueBacklog(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetFieldValue<DateTimeOffset>(4))
            : new DueBacklog(0, 0, 0, 0, null);
    }

    /// <summary>Counts by status over all tenants, from the snapshot.</summary>
    public async Task<IReadOnlyDictionary<EventStatus, long>> ReadTotalsAsync(CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(dataSource, "SELECT status, sum(event_count)::bigint FROM event_statistics GROUP BY status");
        var counts = Enum.GetValues<EventStatus>().ToDictionary(s => s, _ => 0L);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[ColumnValues.ToEventStatus(reader.GetString(0))] = reader.GetInt64(1);
        }
        return counts;
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
