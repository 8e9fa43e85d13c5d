using System.Text.RegularExpressions;

namespace Orchestrator.Api.Tenancy;

/// <summary>Parses ORCH_API_KEYS: "tenant:key,tenant:key".</summary>
public static partial class ApiKeySeeds
{
    public const int MinKeyLength = 8;

    public static IReadOnlyList<(string TenantId, string ApiKey)> Parse(string? setting)
    {
        var seeds = new List<(string, string)>();
        foreach (var (tenant, key) in TenantSettingPairs.Split(setting))
        {
            if (!TenantName().IsMatch(tenant) || key.Length < MinKeyLength)
            {
                throw new InvalidOperationException(
                    $"ORCH_API_KEYS entries must be tenant:key, the tenant of letters, digits, '.', '_' or '-' and the key at least {MinKeyLength} characters.");
            }
            seeds.Add((tenant, key));
        }
        return seeds;
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex TenantName();
}
