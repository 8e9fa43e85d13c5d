using Orchestrator.Grains.Events;

namespace Orchestrator.Grains.Storage.Events;

public sealed partial class EventStore
{
    /// <summary>
    /// An event's due_at is never before its scheduled_at (retries, recovery and redrives only
    /// move it later), so an event due now was scheduled before now. Bounding the firing
    /// statements by scheduled_at lets PostgreSQL plan only the partitions up to tomorrow
    /// instead of every day ahead — planning, not executing, was most of their cost. The day's
    /// margin keeps a silo whose clock is behind the database's from missing anything.
    /// </summary>
    private static readonly TimeSpan FiringHorizon = TimeSpan.FromDays(1);

    private static DateTime FiringBound() => (DateTimeOffset.UtcNow + FiringHorizon).UtcDateTime;

    /// <summary>
    /// Claims up to <paramref name="limit"/> due events for a silo: each becomes PROCESSING
    /// with a lease, and its attempt count goes up. Rows locked by another silo are skipped,
    /// so silos never wait on each other and never claim the same event.
    /// </summary>
    public async Task<IReadOnlyList<DueEvent>> ClaimDueAsync(Guid siloId, int limit, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(dataSource, """
            WITH due AS (
                SELECT id, scheduled_at FROM events
                WHERE status = 'PENDING' AND due_at <= now() AND scheduled_at < $4
                ORDER BY due_at
                LIMIT $1
                FOR UPDATE SKIP LOCKED)
            UPDATE events e
            SET status = 'PROCESSING', claimed_by = $2, lease_expires_at = now() + $3,
                attempts = e.attempts + 1, updated_at = now()
            FROM due
            WHERE e.id = due.id AND e.scheduled_at = due.scheduled_at AND e.scheduled_at < $4
            RETURNING e.id, e.tenant_id, e.external_job_id, e.scheduled_at, e.due_at, e.delivery_type,
                      e.destination, e.payload::text, e.headers::text, e.max_retries, e.attempts
            """, limit, siloId, lease, FiringBound());
        var claimed = new List<DueEvent>(limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            claimed.Add(new DueEvent(
                Id: reader.GetGuid(0),
                TenantId: reader.GetString(1),
                ExternalJobId: reader.GetString(2),
                ScheduledAt: reader.GetFieldValue<DateTimeOffset>(3),
                DueAt: reader.GetFieldValue<DateTimeOffset>(4),
                DeliveryType: ColumnValues.ToDeliveryType(reader.GetString(5)),
                Destination: reader.GetString(6),
                PayloadJson: reader.GetString(7),
                Headers: ColumnValues.HeadersFromColumn(reader.IsDBNull(8) ? null : reader.GetString(8)),
                MaxRetries: reader.GetInt32(9),
                Attempt: reader.GetInt32(10)));
        }
        return claimed;
    }

    /// <summary>
    /// How long until the next PENDING event falls due (zero if one is due now); null if none
    /// is pending that was scheduled before tomorrow (the firing horizon).
    /// </summary>
    public async Task<TimeSpan?> TimeUntilNextDueAsync(CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(dataSource, """
            SELECT GREATEST(0, EXTRACT(EPOCH FROM (min(due_at) - now())) * 1000)::float8
            FROM events WHERE status = 'PENDING' AND scheduled_at < $1
            """, FiringBound());
        var result = await command.ExecuteScalarAsync(cancellationToken);
        return result is double ms ? TimeSpan.FromMilliseconds(ms) : null;
    }

    /// <summary>
    /// Records many attempts' outcomes in one statement. Only rows this silo still holds are
    /// changed: if its lease ran out and another silo took the event, that silo's word counts.
    /// </summary>
    public async Task<int> RecordTransitionsAsync(Guid siloId, IReadOnlyList<EventTransition> transitions, CancellationToken cancellationToken)
    {
        var count = transitions.Count;
        if (count == 0)
        {
            return 0;
        }
        var ids = new Guid[count];
        var scheduledAt = new DateTime[count];
        var statuses = new string[count];
        var delaysMs = new double[count];
        var statusCodes = new int?[count];
        var errors = new string?[count];
        var deferred = new bool[count];
        var earliest = DateTime.MaxValue;
        var latest = DateTime.MinValue;
        for (var i = 0; i < count; i++)
        {
            var t = transitions[i];
            earliest = t.ScheduledAt.UtcDateTime < earliest ? t.ScheduledAt.UtcDateTime : earliest;
            latest = t.ScheduledAt.UtcDateTime > latest ? t.ScheduledAt.UtcDateTime : latest;
            ids[i] = t.Id;
            scheduledAt[i] = t.ScheduledAt.UtcDateTime;
            statuses[i] = t.Status.ToColumn();
            delaysMs[i] = t.RetryDelay.TotalMilliseconds;
            statusCodes[i] = t.StatusCode;
            errors[i] = t.Error;
            deferred[i] = t.Deferred;
        }
        await using var command = Sql.Command(dataSource, """
            UPDATE events e
            SET status = t.status,
                due_at = CASE WHEN t.status = 'PENDING' THEN now() + t.delay_ms * interval '1 millisecond' ELSE e.due_at END,
                completed_at = CASE WHEN t.status = 'PENDING' THEN NULL ELSE now() END,
                attempts = e.attempts - CASE WHEN t.deferred THEN 1 ELSE 0 END,
                last_status_code = t.status_code,
                last_error = t.error,
                claimed_by = NULL,
                lease_expires_at = NULL,
                updated_at = now()
            FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::float8[], $5::int[], $6::text[], $7::bool[])
                 AS t(id, scheduled_at, status, delay_ms, status_code, error, deferred)
            WHERE e.id = t.id AND e.scheduled_at = t.scheduled_at
              AND e.status = 'PROCESSING' AND e.claimed_by = $8
              -- The batch's own range of days, so only their partitions are planned.
              AND e.scheduled_at BETWEEN $9 AND $10
            """, ids, scheduledAt, statuses, delaysMs, statusCodes, errors, deferred, siloId, earliest, latest);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Returns abandoned claims to PENDING, due now: those whose lease ran out, and those of
    /// silos no longer alive (declared dead, or stopped with deliveries unfinished), which need
    /// not wait for their lease. The interrupted attempt counts: an event that has used up its
    /// retries this way becomes a dead letter, so an event that crashes silos cannot loop forever.
    /// </summary>
    public async Task<int> RecoverAbandonedClaimsAsync(int limit, CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(dataSource, $"""
            WITH expired AS (
                SELECT id, scheduled_at FROM events
                WHERE status = 'PROCESSING'
                  AND (lease_expires_at < now() OR claimed_by IN (SELECT id FROM silos WHERE status <> 'ALIVE'))
                ORDER BY lease_expires_at
                LIMIT $1
                FOR UPDATE SKIP LOCKED),
            recovered AS (
                UPDATE events e
                SET status = CASE WHEN e.attempts > e.max_retries THEN 'DEAD_LETTER' ELSE 'PENDING' END,
                    due_at = now(),
                    completed_at = CASE WHEN e.attempts > e.max_retries THEN now() END,
                    last_error = 'claim abandoned: the silo firing it stopped or its lease expired',
                    claimed_by = NULL,
                    lease_expires_at = NULL,
                    updated_at = now()
                FROM expired
                WHERE e.id = expired.id AND e.scheduled_at = expired.scheduled_at
                RETURNING e.status)
            SELECT count(*)::int, bool_or(status = 'PENDING' AND pg_notify('{DueChannel}', '') IS NOT NULL)
            FROM recovered
            """, limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return reader.GetInt32(0);
    }
}
