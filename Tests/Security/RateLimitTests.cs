using System.Net;
using System.Net.Http.Json;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Security;

public sealed class RateLimitTests : ClusterTest
{
    protected override IReadOnlyDictionary<string, string?> Overrides => new Dictionary<string, string?>
    {
        ["ORCH_TENANT_RATE_LIMIT_PER_SECOND"] = "2",
        ["ORCH_TENANT_RATE_LIMIT_BURST"] = "5",
    };

    [Fact]
    public async Task Past_the_burst_a_tenant_gets_429_with_Retry_After_then_recovers()
    {
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 10 && limited is null; i++)
        {
            var response = await Client.GetAsync("/api/v1/events/statistics");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = response;
            }
        }

        Assert.NotNull(limited);
        Assert.True(statuses.Count(s => s == HttpStatusCode.OK) >= 5, string.Join(", ", statuses));
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType!.MediaType);
        // Another tenant is not affected.
        using var other = Cluster.Client(Node, TestCluster.KeyB);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/v1/events/statistics")).StatusCode);
        // Tokens come back at 2 a second.
        await Eventually.TrueAsync(async () => (await Client.GetAsync("/api/v1/events/statistics")).StatusCode == HttpStatusCode.OK,
            "the tenant to be served again", TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_batch_counts_as_one_request()
    {
        for (var i = 0; i < 5; i++)
        {
            using var response = await Client.PostAsJsonAsync("/api/v1/events/batch", new
            {
                events = Enumerable.Range(0, 100).Select(_ => Submissions.Http(Receiver.Url("/b"), DateTimeOffset.UtcNow.AddHours(1))).ToArray(),
            });
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }
        Assert.Equal(500, await Database.CountEventsAsync());
    }

    [Fact]
    public async Task A_tenants_own_settings_override_the_default()
    {
        using var admin = Cluster.AdminClient(Node);
        using var update = await admin.PutAsJsonAsync($"/api/v1/admin/tenants/{TestCluster.TenantB}/settings", new { rate_limit_per_second = 1, rate_limit_burst = 1 });
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        using var tenantB = Cluster.Client(Node, TestCluster.KeyB);

        // The key cache holds settings for a second; then B has a bucket of one.
        await Eventually.TrueAsync(async () =>
        {
            var first = await tenantB.GetAsync("/api/v1/events/statistics");
            var second = await tenantB.GetAsync("/api/v1/events/statistics");
            return second.StatusCode == HttpStatusCode.TooManyRequests;
        }, "tenant B's own limit to apply", TimeSpan.FromSeconds(10));
    }
}
