using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Orchestrator.Grains.Storage;

/// <summary>The tenants and api_keys tables. Keys never touch the database in clear.</summary>
public sealed class TenantStore(NpgsqlDataSource dataSource)
{
    public static byte[] HashKey(string apiKey) => SHA256.HashData(Encoding.UTF8.GetBytes(apiKey));

    /// <summary>Creates the tenants and adds the keys (idempotent: known ones are left alone).</summary>
    public async Task SeedAsync(IReadOnlyList<(string TenantId, string ApiKey)> keys, CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
        {
            return;
        }
        var tenants = keys.Select(k => k.TenantId).ToArray();
        await using (var tenantInsert = Sql.Command(dataSource,
            "INSERT INTO tenants (id) SELECT DISTINCT unnest($1::text[]) ON CONFLICT DO NOTHING", (object)tenants))
        {
            await tenantInsert.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var keyInsert = Sql.Command(dataSource,
            "INSERT INTO api_keys (key_hash, tenant_id) SELECT * FROM unnest($1::bytea[], $2::text[]) ON CONFLICT DO NOTHING",
            keys.Select(k => HashKey(k.ApiKey)).ToArray(), tenants);
        await keyInsert.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The tenant that owns an unrevoked key, or null.</summary>
    public async Task<string?> FindTenantByKeyAsync(string apiKey, CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(dataSource,
            "SELECT tenant_id FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL", HashKey(apiKey));
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }
}
