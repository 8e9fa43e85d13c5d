using Orchestrator.Grains.Delivery;

namespace Orchestrator.Api.Tenancy;

/// <summary>Parses ORCH_WEBHOOK_SECRETS: "tenant:whsec_…,tenant:whsec_…".</summary>
public static class WebhookSecretSeeds
{
    public static IReadOnlyList<(string TenantId, string Secret)> Parse(string? setting)
    {
        var seeds = new List<(string, string)>();
        foreach (var (tenant, secret) in TenantSettingPairs.Split(setting))
        {
            if (tenant.Length == 0 || !WebhookSigner.IsValidSecret(secret))
            {
                throw new InvalidOperationException(
                    "ORCH_WEBHOOK_SECRETS entries must be tenant:whsec_<base64 of 24 to 64 bytes>.");
            }
            seeds.Add((tenant, secret));
        }
        return seeds;
    }
}
