using System.Collections.Concurrent;
using Orchestrator.Grains.Configuration;
using Orchestrator.Grains.Storage;

namespace Orchestrator.Api.Tenancy;

/// <summary>
/// Which tenant an API key belongs to (with its rate-limit settings), remembered for a short time so that a request
/// costs no database round trip. A revoked key stops working within <c>ORCH_API_KEY_CACHE_SECONDS</c>.
/// Unknown keys are never cached, so guessing cannot crowd out real ones.
/// </summary>
public sealed class TenantKeyCache(TenantStore store, TimeProvider clock, IConfiguration configuration)
{
    private const int MaxEntries = 10_000;
    private readonly TimeSpan _ttl = TimeSpan.FromSeconds(configuration.GetInt("ORCH_API_KEY_CACHE_SECONDS", 5, 0, 3600));
    private readonly ConcurrentDictionary<string, (TenantAccess Access, DateTimeOffset Expires)> _entries = new(StringComparer.Ordinal);

    public async Task<TenantAccess?> FindTenantAsync(string apiKey, CancellationToken cancellationToken)
    {
        var cacheKey = Convert.ToHexString(TenantStore.HashKey(apiKey));
        var now = clock.GetUtcNow();
        if (_entries.TryGetValue(cacheKey, out var entry) && entry.Expires > now)
        {
            return entry.Access;
        }
        var tenant = await store.FindByKeyAsync(apiKey, cancellationToken);
        if (tenant is null)
        {
            _entries.TryRemove(cacheKey, out _);
            return null;
        }
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }
        _entries[cacheKey] = (tenant, now + _ttl);
        return tenant;
    }
}
