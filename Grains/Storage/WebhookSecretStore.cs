using Npgsql;

namespace Orchestrator.Grains.Storage;

public sealed record WebhookSecretRow(Guid Id, string Secret, DateTimeOffset CreatedAt);

/// <summary>
/// The webhook_secrets table: each tenant's Standard Webhooks signing secrets. They are kept
/// in clear because signing needs them; only admins can read them.
/// </summary>
public sealed class WebhookSecretStore(NpgsqlDataSource dataSource)
{
    /// <summary>Adds the given secrets (unless a tenant has that one already).</summary>
    public async Task SeedAsync(IReadOnlyList<(string TenantId, string Secret)> secrets, CancellationToken cancellationToken)
    {
        if (secrets.Count == 0)
        {
            return;
        }
        await using var command = Sql.Command(dataSource, """
            INSERT INTO webhook_secrets (id, tenant_id, secret)
            SELECT gen_random_uuid(), s.tenant, s.secret FROM unnest($1::text[], $2::text[]) AS s(tenant, secret)
            WHERE NOT EXISTS (SELECT 1 FROM webhook_secrets w WHERE w.tenant_id = s.tenant AND w.secret = s.secret)
            """, secrets.Select(s => s.TenantId).ToArray(), secrets.Select(s => s.Secret).ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Tenants without an active secret; each gets one from <paramref name="newSecret"/>.</summary>
    public async Task<int> EnsureEveryTenantHasOneAsync(Func<string> newSecret, CancellationToken cancellationToken)
    {
        var missing = new List<string>();
        await using (var query = Sql.Command(dataSource, """
            SELECT t.id FROM tenants t
            WHERE NOT EXISTS (SELECT 1 FROM webhook_secrets w WHERE w.tenant_id = t.id AND w.revoked_at IS NULL)
            """))
        await using (var reader = await query.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                missing.Add(reader.GetString(0));
            }
        }
        await SeedAsync(missing.Select(t => (t, newSecret())).ToList(), cancellationToken);
        return missing.Count;
    }

    public async Task<IReadOnlyList<WebhookSecretRow>> ActiveAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(dataSource,
            "SELECT id, secret, created_at FROM webhook_secrets WHERE tenant_id = $1 AND revoked_at IS NULL ORDER BY created_at", tenantId);
        var secrets = new List<WebhookSecretRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            secrets.Add(new WebhookSecretRow(reader.GetGuid(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2)));
        }
        return secrets;
    }

    public async Task<Guid> AddAsync(string tenantId, string secret, CancellationToken cancellationToken)
    {
        var id = Guid.CreateVersion7();
        await using var command = Sql.Command(dataSource,
            "INSERT INTO webhook_secrets (id, tenant_id, secret) VALUES ($1, $2, $3)", id, tenantId, secret);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return id;
    }

    public async Task<bool> RevokeAsync(string tenantId, Guid secretId, CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(dataSource,
            "UPDATE webhook_secrets SET revoked_at = now() WHERE id = $1 AND tenant_id = $2 AND revoked_at IS NULL", secretId, tenantId);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }
}
