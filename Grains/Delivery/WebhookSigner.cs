using System.Security.Cryptography;
using System.Text;
using Orchestrator.Grains.Storage;

namespace Orchestrator.Grains.Delivery;

/// <summary>
/// Standard Webhooks signatures: HMAC-SHA256 over "{webhook-id}.{webhook-timestamp}.{body}" with
/// the decoded secret, sent as "v1,{base64}" — one per active secret of the tenant, space
/// separated, so a receiver holding either the old or the new secret verifies during rotation.
/// Secrets are cached per tenant for ORCH_WEBHOOK_SECRET_CACHE_SECONDS.
/// </summary>
public sealed class WebhookSigner(WebhookSecretStore store, TimeSpan cacheFor)
{
    public const string SecretPrefix = "whsec_";
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (IReadOnlyList<byte[]> Keys, DateTimeOffset Expires)> _cache = new();

    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static bool IsValidSecret(string secret)
    {
        if (!secret.StartsWith(SecretPrefix, StringComparison.Ordinal))
        {
            return false;
        }
        var buffer = new byte[secret.Length];
        return Convert.TryFromBase64String(secret[SecretPrefix.Length..], buffer, out var length) && length is >= 24 and <= 64;
    }

    public static string Signature(IEnumerable<byte[]> keys, string webhookId, long timestamp, string body)
    {
        var content = Encoding.UTF8.GetBytes($"{webhookId}.{timestamp}.{body}");
        return string.Join(' ', keys.Select(key => "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, content))));
    }

    /// <summary>The signature header for a delivery of the tenant's event; the tenant gets a secret if it has none.</summary>
    public async Task<string> SignAsync(string tenantId, string webhookId, long timestamp, string body, CancellationToken cancellationToken) =>
        Signature(await KeysAsync(tenantId, cancellationToken), webhookId, timestamp, body);

    private async Task<IReadOnlyList<byte[]>> KeysAsync(string tenantId, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(tenantId, out var entry) && entry.Expires > DateTimeOffset.UtcNow)
        {
            return entry.Keys;
        }
        var secrets = await store.ActiveAsync(tenantId, cancellationToken);
        if (secrets.Count == 0)
        {
            await store.AddAsync(tenantId, NewSecret(), cancellationToken);
            secrets = await store.ActiveAsync(tenantId, cancellationToken);
        }
        var keys = secrets.Select(s => Convert.FromBase64String(s.Secret[SecretPrefix.Length..])).ToList();
        _cache[tenantId] = (keys, DateTimeOffset.UtcNow + cacheFor);
        return keys;
    }
}
