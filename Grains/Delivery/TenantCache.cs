using System.Collections.Concurrent;

namespace Orchestrator.Grains.Delivery;

/// <summary>
/// Something read per tenant from the database and kept for a while, so deliveries do not read
/// it each time; a change made by an admin is seen within <c>cacheFor</c>.
/// </summary>
public sealed class TenantCache<T>(TimeSpan cacheFor, Func<string, CancellationToken, Task<T>> load)
{
    private readonly ConcurrentDictionary<string, (T Value, DateTimeOffset Expires)> _entries = new();

    public async ValueTask<T> GetAsync(string tenantId, CancellationToken cancellationToken)
    {
        if (_entries.TryGetValue(tenantId, out var entry) && entry.Expires > DateTimeOffset.UtcNow)
        {
            return entry.Value;
        }
        var value = await load(tenantId, cancellationToken);
        _entries[tenantId] = (value, DateTimeOffset.UtcNow + cacheFor);
        return value;
    }
}
