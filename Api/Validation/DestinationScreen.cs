using Orchestrator.Grains.Delivery;
using Orchestrator.Grains.Events;
using Orchestrator.Grains.Ingestion;

namespace Orchestrator.Api.Validation;

/// <summary>
/// Puts submitted HTTP destinations through the SSRF guard, resolving each distinct host of a
/// request once.
/// </summary>
public sealed class DestinationScreen(DestinationGuard guard)
{
    /// <summary>Why each refused event (by position) may not be scheduled.</summary>
    public async Task<Dictionary<int, string>> RefusalsAsync(IReadOnlyList<NewEvent> events, CancellationToken cancellationToken)
    {
        var byHost = new Dictionary<string, Task<string?>>(StringComparer.OrdinalIgnoreCase);
        var checks = new List<(int Index, Task<string?> Check)>();
        for (var i = 0; i < events.Count; i++)
        {
            if (events[i].DeliveryType != DeliveryType.Http)
            {
                continue;
            }
            var uri = new Uri(events[i].Destination);
            var key = $"{uri.Scheme}://{uri.IdnHost}";
            if (!byHost.TryGetValue(key, out var check))
            {
                byHost[key] = check = guard.CheckAsync(uri, cancellationToken);
            }
            checks.Add((i, check));
        }
        var refusals = new Dictionary<int, string>();
        foreach (var (index, check) in checks)
        {
            if (await check is { } refusal)
            {
                refusals[index] = refusal;
            }
        }
        return refusals;
    }
}
