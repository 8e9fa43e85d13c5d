using Orchestrator.Grains.Runtime;

namespace Orchestrator.Api.Tenancy;

/// <summary>The authenticated tenant of a request, bound as an endpoint parameter.</summary>
public sealed record CallerTenant(TenantId Id)
{
    public static ValueTask<CallerTenant?> BindAsync(HttpContext context) =>
        ValueTask.FromResult(context.User.FindFirst(ApiKeyAuthenticationHandler.TenantClaim) is { } claim
            ? new CallerTenant(new TenantId(claim.Value))
            : null);
}
