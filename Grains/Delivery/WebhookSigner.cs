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
public sealed class WebhookSigner
{
    public const string SecretPrefix = "whsec_";
    private readonly WebhookSecretStore _store;
    private readonly TenantCache<IReadOnlyList<byte[]>> _keys;

    public WebhookSigner(WebhookSecretStore store, TimeSpan cacheFor)
    {
        _store = store;
        _keys = new TenantCache<IReadOnlyList<byte[]>>(cacheFor, LoadKeysAsync);
    }

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
        Signature(await _keys.GetAsync(tenantId, cancellationToken), webhookId, timestamp, body);

    private async Task<IReadOnlyList<byte[]>> LoadKeysAsync(string tenantId, CancellationToken cancellationToken)
    {
        var secrets = await _store.ActiveAsync(tenantId, cancellationToken);
        if (secrets.Count == 0)
        {
            await _store.AddAsync(tenantId, NewSecret(), cancellationToken);
            secrets = await _store.ActiveAsync(tenantId, cancellationToken);
        }
        return secrets.Select(s => Convert.FromBase64String(s.Secret[SecretPrefix.Length..])).ToList();
    }
}
