using Npgsql;

namespace Orchestrator.Grains.Storage;

/// <summary>The idempotency_keys table: the first event to use a (tenant, key) owns it.</summary>
public static class IdempotencyKeyStore
{
    /// <summary>
    /// Claims the keys for the given events inside the caller's transaction and returns,
    /// for every key, the id of the event that owns it — the proposed one when the key was
    /// free, the original one when it was already taken. A concurrent writer of the same
    /// key blocks on the unique index until the first commits, so there is one owner.
    /// </summary>
    public static async Task<Dictionary<(string TenantId, string Key), Guid>> ClaimAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction,
        IReadOnlyList<(string TenantId, string Key, Guid EventId)> keys, CancellationToken cancellationToken)
    {
        var owners = new Dictionary<(string, string), Guid>(keys.Count);
        if (keys.Count == 0)
        {
            return owners;
        }
        await using var command = Sql.Command(connection, transaction, """
            WITH proposed AS (
                SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[]) AS p(tenant_id, idempotency_key, event_id)),
            claimed AS (
                INSERT INTO idempotency_keys (tenant_id, idempotency_key, event_id)
                SELECT tenant_id, idempotency_key, event_id FROM proposed
                ON CONFLICT DO NOTHING
                RETURNING tenant_id, idempotency_key, event_id)
            SELECT tenant_id, idempotency_key, event_id FROM claimed
            UNION ALL
            SELECT k.tenant_id, k.idempotency_key, k.event_id
            FROM idempotency_keys k JOIN proposed p USING (tenant_id, idempotency_key)
            WHERE NOT EXISTS (SELECT 1 FROM claimed c
                              WHERE c.tenant_id = p.tenant_id AND c.idempotency_key = p.idempotency_key)
            """,
            keys.Select(k => k.TenantId).ToArray(), keys.Select(k => k.Key).ToArray(), keys.Select(k => k.EventId).ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            owners[(reader.GetString(0), reader.GetString(1))] = reader.GetGuid(2);
        }
        return owners;
    }
}
