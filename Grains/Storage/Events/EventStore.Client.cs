using Orchestrator.Grains.Events;

namespace Orchestrator.Grains.Storage.Events;

public sealed partial class EventStore
{
    public async Task<EventView?> GetLatestByExternalIdAsync(string tenantId, string externalJobId, CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(dataSource, $"""
            SELECT {ViewColumns} FROM events
            WHERE tenant_id = $1 AND external_job_id = $2
            ORDER BY scheduled_at DESC, id DESC
            LIMIT 1
            """, tenantId, externalJobId);
        return await ReadSingleViewAsync(command, cancellationToken);
    }

    /// <summary>One page of a job's events, newest first; one more row than asked tells whether more follow.</summary>
    public async Task<IReadOnlyList<EventView>> ListByExternalIdAsync(string tenantId, string externalJobId, int offset, int limit, CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(dataSource, $"""
            SELECT {ViewColumns} FROM events
            WHERE tenant_id = $1 AND external_job_id = $2
            ORDER BY scheduled_at DESC, id DESC
            OFFSET $3 LIMIT $4
            """, tenantId, externalJobId, offset, limit);
        return await ReadViewsAsync(command, cancellationToken);
    }

    /// <summary>
    /// PENDING or DEAD_LETTER → CANCELLED. The update waits on the row lock a claim holds and
    /// then re-checks the status, so against a firing exactly one of the two wins.
    /// Returns the cancelled row, or null when nothing was cancellable.
    /// </summary>
    public async Task<EventView?> CancelAsync(string tenantId, Guid id, CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(dataSource, $"""
            UPDATE events SET status = 'CANCELLED', completed_at = now(), updated_at = now()
            WHERE id = $1 AND tenant_id = $2 AND status IN ('PENDING', 'DEAD_LETTER')
            RETURNING {ViewColumns}
            """, id, tenantId);
        return await ReadSingleViewAsync(command, cancellationToken);
    }

    /// <summary>Cancels every cancellable event of a job; returns how many.</summary>
    public async Task<int> CancelByExternalIdAsync(string tenantId, string externalJobId, CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(dataSource, """
            UPDATE events SET status = 'CANCELLED', completed_at = now(), updated_at = now()
            WHERE tenant_id = $1 AND external_job_id = $2 AND status IN ('PENDING', 'DEAD_LETTER')
            """, tenantId, externalJobId);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<EventView>> ListDeadLettersAsync(string tenantId, int offset, int limit, CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(dataSource, $"""
            SELECT {ViewColumns} FROM events
            WHERE tenant_id = $1 AND status = 'DEAD_LETTER'
            ORDER BY updated_at DESC, id
            OFFSET $2 LIMIT $3
            """, tenantId, offset, limit);
        return await ReadViewsAsync(command, cancellationToken);
    }

    /// <summary>The newest dead letters of every tenant, for operators.</summary>
    public async Task<IReadOnlyList<(string TenantId, EventView Event)>> ListRecentDeadLettersAsync(int limit, CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(dataSource, $"""
            SELECT tenant_id, {ViewColumns} FROM events
            WHERE status = 'DEAD_LETTER'
            ORDER BY updated_at DESC
            LIMIT $1
            """, limit);
        var rows = new List<(string, EventView)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add((reader.GetString(0), ReadView(reader, offset: 1)));
        }
        return rows;
    }

    /// <summary>DEAD_LETTER → PENDING, due now, attempts reset; returns the ids that were redriven.</summary>
    public async Task<IReadOnlyList<Guid>> RedriveAsync(string tenantId, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(dataSource, $"""
            WITH redriven AS (
                UPDATE events
                SET status = 'PENDING', due_at = now(), attempts = 0, completed_at = NULL, updated_at = now()
                WHERE tenant_id = $1 AND id = ANY($2) AND status = 'DEAD_LETTER'
                RETURNING id)
            SELECT id, pg_notify('{DueChannel}', '') FROM redriven
            """, tenantId, ids.ToArray());
        var redriven = new List<Guid>(ids.Count);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            redriven.Add(reader.GetGuid(0));
        }
        return redriven;
    }
}
