using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.RateLimiting;
using Orchestrator.Grains.Configuration;

namespace Orchestrator.Api.Tenancy;

/// <summary>
/// A token bucket per tenant: ORCH_TENANT_RATE_LIMIT_PER_SECOND tokens a second up to
/// ORCH_TENANT_RATE_LIMIT_BURST, unless the tenant has its own settings. One request, one
/// token — a batch too (its size is bounded separately). Past the limit: 429 with Retry-After.
/// Limits are kept per API node; N nodes behind a balancer allow up to N times the rate.
/// </summary>
public sealed class TenantRateLimiter(IConfiguration configuration) : IEndpointFilter
{
    private readonly int _defaultRate = configuration.GetInt("ORCH_TENANT_RATE_LIMIT_PER_SECOND", 1000, 1, 10_000_000);
    private readonly int _defaultBurst = configuration.GetInt("ORCH_TENANT_RATE_LIMIT_BURST", 2000, 1, 10_000_000);
    private readonly ConcurrentDictionary<string, (int Rate, int Burst, TokenBucketRateLimiter Bucket)> _buckets = new(StringComparer.Ordinal);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var user = context.HttpContext.User;
        if (user.FindFirst(ApiKeyAuthenticationHandler.TenantClaim)?.Value is not { } tenant)
        {
            return await next(context);
        }
        var rate = Setting(user, ApiKeyAuthenticationHandler.RateClaim) ?? _defaultRate;
        var burst = Setting(user, ApiKeyAuthenticationHandler.BurstClaim) ?? _defaultBurst;
        using var lease = Bucket(tenant, rate, burst).AttemptAcquire();
        if (lease.IsAcquired)
        {
            return await next(context);
        }
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1.0 / rate);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests",
            detail: $"Tenant {tenant} is limited to {rate} requests a second (burst {burst}); retry after {seconds}s.");
    }

    private TokenBucketRateLimiter Bucket(string tenant, int rate, int burst)
    {
        var entry = _buckets.GetOrAdd(tenant, _ => (rate, burst, Create(rate, burst)));
        if (entry.Rate == rate && entry.Burst == burst)
        {
            return entry.Bucket;
        }
        // The tenant's settings changed: start a fresh bucket with them.
        var replacement = (rate, burst, Create(rate, burst));
        if (_buckets.TryUpdate(tenant, replacement, entry))
        {
            entry.Bucket.Dispose();
            return replacement.Item3;
        }
        replacement.Item3.Dispose();
        return _buckets[tenant].Bucket;
    }

    private static TokenBucketRateLimiter Create(int rate, int burst) => new(new TokenBucketRateLimiterOptions
    {
        TokenLimit = burst,
        QueueLimit = 0,
        ReplenishmentPeriod = rate >= 10 ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromSeconds(1.0 / rate),
        TokensPerPeriod = rate >= 10 ? Math.Max(1, rate / 10) : 1,
        AutoReplenishment = true,
    });

    private static int? Setting(System.Security.Claims.ClaimsPrincipal user, string claim) =>
        user.FindFirst(claim)?.Value is { } text && int.TryParse(text, CultureInfo.InvariantCulture, out var value) ? value : null;
}

public static class TenantRateLimiterExtensions
{
    /// <summary>
    /// Applies the tenant rate limit to a group's endpoints. The limiter is the application's one
    /// instance: AddEndpointFilter&lt;T&gt; would build a new filter, and so new buckets, per request.
    /// </summary>
    public static TBuilder RequireTenantRateLimit<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilterFactory((context, next) =>
        {
            var limiter = context.ApplicationServices.GetRequiredService<TenantRateLimiter>();
            return invocation => limiter.InvokeAsync(invocation, next);
        });
}
