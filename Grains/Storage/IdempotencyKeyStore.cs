using Npgsql;

namespace Orchestrator.Grains.Storage;

/// <summary>The idempotency_keys table: the first event to use a (tenant, key) owns it.</summary>
public sealed class IdempotencyKeyStore(NpgsqlDataSource dataSource)
{
    /// <summary>The events that already own any of these keys of a tenant.</summary>
    public async Task<Dictionary<string, Guid>> FindOwnersAsync(string tenantId, IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(dataSource,
            "SELECT idempotency_key, event_id FROM idempotency_keys WHERE tenant_id = $1 AND idempotency_key = ANY($2)",
            tenantId, keys.ToArray());
        var owners = new Dictionary<string, Guid>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            owners[reader.GetString(0)] = reader.GetGuid(1);
        }
        return owners;
    }

    /// <summary>Deletes up to <paramref name="limit"/> keys older than <paramref name="ttl"/>; returns how many.</summary>
    public async Task<int> PurgeAsync(TimeSpan ttl, int limit, CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(dataSource, """
            DELETE FROM idempotency_keys WHERE ctid = ANY (ARRAY(
                SELECT ctid FROM idempotency_keys WHERE created_at < now() - $1 LIMIT $2))
            """, ttl, limit);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

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
        var tenants = keys.Select(k => k.TenantId).ToArray();
        var names = keys.Select(k => k.Key).ToArray();
        await using (var claim = Sql.Command(connection, transaction, """
            INSERT INTO idempotency_keys (tenant_id, idempotency_key, event_id)
            SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[])
            ON CONFLICT DO NOTHING
            RETURNING tenant_id, idempotency_key, event_id
            """, tenants, names, keys.Select(k => k.EventId).ToArray()))
        {
            await ReadOwnersAsync(claim, owners, cancellationToken);
        }
        if (owners.Count == keys.Count)
        {
            return owners;
        }
        // Keys already taken. A new statement, so that under READ COMMITTED it sees an owner
        // that committed while the insert above was waiting on it.
        var taken = keys.Where(k => !owners.ContainsKey((k.TenantId, k.Key))).ToList();
        await using (var lookup = Sql.Command(connection, transaction, """
            SELECT k.tenant_id, k.idempotency_key, k.event_id
            FROM idempotency_keys k
            JOIN unnest($1::text[], $2::text[]) AS t(tenant_id, idempotency_key) USING (tenant_id, idempotency_key)
            """, taken.Select(k => k.TenantId).ToArray(), taken.Select(k => k.Key).ToArray()))
        {
            await ReadOwnersAsync(lookup, owners, cancellationToken);
        }
        return owners;
    }

    private static async Task ReadOwnersAsync(NpgsqlCommand command, Dictionary<(string, string), Guid> owners, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            owners[(reader.GetString(0), reader.GetString(1))] = reader.GetGuid(2);
        }
    }
}
