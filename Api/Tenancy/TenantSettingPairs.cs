namespace Orchestrator.Api.Tenancy;

/// <summary>Splits the "tenant:value,tenant:value" settings (ORCH_API_KEYS, ORCH_WEBHOOK_SECRETS).</summary>
public static class TenantSettingPairs
{
    public static IEnumerable<(string TenantId, string Value)> Split(string? setting)
    {
        foreach (var entry in (setting ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = entry.IndexOf(':');
            yield return colon > 0 ? (entry[..colon], entry[(colon + 1)..]) : ("", "");
        }
    }
}
