using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Orchestrator.Grains.Storage;

/// <summary>A caller's tenant and its rate-limit settings (null: the defaults).</summary>
public sealed record TenantAccess(string TenantId, int? RateLimitPerSecond, int? RateLimitBurst);

/// <summary>
/// What an admin sets per tenant; null means the default. The rate limit is the tenant's
/// submissions; the destination limits bound its deliveries to any one destination.
/// </summary>
public sealed record TenantSettings(int? RateLimitPerSecond, int? RateLimitBurst, int? DestinationConcurrency, int? DestinationRatePerSecond)
{
    public static readonly TenantSettings Defaults = new(null, null, null, null);
}

public sealed record TenantRow(string Id, DateTimeOffset CreatedAt, TenantSettings Settings, int ActiveKeys);

public sealed record ApiKeyRow(Guid Id, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>The tenants and api_keys tables. Keys never touch the database in clear, only their SHA-256.</summary>
public sealed class TenantStore(NpgsqlDataSource dataSource)
{
    public static byte[] HashKey(string apiKey) => SHA256.HashData(Encoding.UTF8.GetBytes(apiKey));

    /// <summary>A new API key: "ok_" and 32 random bytes, base64url.</summary>
    public static string NewKey() => "ok_" + Base64Url(RandomNumberGenerator.GetBytes(32));

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
        await using var keyInsert = Sql.Command(dataSource, """
            INSERT INTO api_keys (id, key_hash, tenant_id)
            SELECT gen_random_uuid(), k.hash, k.tenant FROM unnest($1::bytea[], $2::text[]) AS k(hash, tenant)
            ON CONFLICT DO NOTHING
            """, keys.Select(k => HashKey(k.ApiKey)).ToArray(), tenants);
        await keyInsert.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The tenant that owns an unrevoked key, with its settings; or null.</summary>
    public async Task<TenantAccess?> FindByKeyAsync(string apiKey, CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(dataSource, """
            SELECT t.id, t.rate_limit_per_second, t.rate_limit_burst
            FROM api_keys k JOIN tenants t ON t.id = k.tenant_id
            WHERE k.key_hash = $1 AND k.revoked_at IS NULL
            """, HashKey(apiKey));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new TenantAccess(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetInt32(2))
            : null;
    }

    /// <summary>Creates a tenant; false if it exists already.</summary>
    public async Task<bool> CreateAsync(string tenantId, TenantSettings settings, CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(dataSource, """
            INSERT INTO tenants (id, rate_limit_per_second, rate_limit_burst, destination_concurrency, destination_rate_per_second)
            VALUES ($1, $2::int, $3::int, $4::int, $5::int)
            ON CONFLICT DO NOTHING
            """, tenantId, settings.RateLimitPerSecond, settings.RateLimitBurst, settings.DestinationConcurrency, settings.DestinationRatePerSecond);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> UpdateSettingsAsync(string tenantId, TenantSettings settings, CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(dataSource, """
            UPDATE tenants SET rate_limit_per_second = $2::int, rate_limit_burst = $3::int,
                               destination_concurrency = $4::int, destination_rate_per_second = $5::int
            WHERE id = $1
            """, tenantId, settings.RateLimitPerSecond, settings.RateLimitBurst, settings.DestinationConcurrency, settings.DestinationRatePerSecond);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>The tenant's settings; the defaults if there is no such tenant.</summary>
    public async Task<TenantSettings> SettingsAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(dataSource, """
            SELECT rate_limit_per_second, rate_limit_burst, destination_concurrency, destination_rate_per_second
            FROM tenants WHERE id = $1
            """, tenantId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadSettings(reader, 0) : TenantSettings.Defaults;
    }

    public async Task<IReadOnlyList<TenantRow>> ListAsync(CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(dataSource, """
            SELECT t.id, t.created_at, t.rate_limit_per_second, t.rate_limit_burst, t.destination_concurrency,
                   t.destination_rate_per_second,
                   (SELECT count(*)::int FROM api_keys k WHERE k.tenant_id = t.id AND k.revoked_at IS NULL)
            FROM tenants t ORDER BY t.id
            """);
        var tenants = new List<TenantRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            tenants.Add(new TenantRow(reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1), ReadSettings(reader, 2), reader.GetInt32(6)));
        }
        return tenants;
    }

    private static TenantSettings ReadSettings(NpgsqlDataReader reader, int first)
    {
        int? At(int i) => reader.IsDBNull(first + i) ? null : reader.GetInt32(first + i);
        return new TenantSettings(At(0), At(1), At(2), At(3));
    }

    public async Task<bool> ExistsAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(dataSource, "SELECT EXISTS (SELECT 1 FROM tenants WHERE id = $1)", tenantId);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Stores a new key for the tenant (its hash only) and returns the key's id.</summary>
    public async Task<Guid> AddKeyAsync(string tenantId, string apiKey, CancellationToken cancellationToken)
    {
        var id = Guid.CreateVersion7();
        await using var command = Sql.Command(dataSource,
            "INSERT INTO api_keys (id, key_hash, tenant_id) VALUES ($1, $2, $3)", id, HashKey(apiKey), tenantId);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return id;
    }

    /// <summary>Revokes a key of the tenant; false if there is no such unrevoked key.</summary>
    public async Task<bool> RevokeKeyAsync(string tenantId, Guid keyId, CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(dataSource,
            "UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND tenant_id = $2 AND revoked_at IS NULL", keyId, tenantId);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<IReadOnlyList<ApiKeyRow>> ListKeysAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(dataSource,
            "SELECT id, created_at, revoked_at FROM api_keys WHERE tenant_id = $1 ORDER BY created_at", tenantId);
        var keys = new List<ApiKeyRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(new ApiKeyRow(reader.GetGuid(0), reader.GetFieldValue<DateTimeOffset>(1),
                reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2)));
        }
        return keys;
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
