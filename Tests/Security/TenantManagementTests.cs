using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Orchestrator.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Orchestrator.Tests.Security;

public sealed class TenantManagementTests(ITestOutputHelper output) : ClusterTest
{
    [Fact]
    public async Task An_admin_creates_a_tenant_whose_key_works_and_is_stored_only_hashed()
    {
        using var admin = Cluster.AdminClient(Node);

        using var created = await admin.PostAsJsonAsync("/api/v1/admin/tenants", new { id = "acme" });
        var body = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var key = body["key"]!["api_key"]!.GetValue<string>();
        Assert.StartsWith("whsec_", body["webhook_secret"]!.GetValue<string>());
        using var client = Cluster.Client(Node, key);
        await client.ScheduleAsync(Submissions.Http(Receiver.Url("/acme"), DateTimeOffset.UtcNow.AddHours(1)));
        Assert.Equal(0, await Database.ScalarAsync<long>("SELECT count(*) FROM api_keys WHERE encode(key_hash, 'escape') LIKE '%' || $1 || '%'", key));
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsJsonAsync("/api/v1/admin/tenants", new { id = "acme" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync("/api/v1/admin/tenants", new { id = "bad tenant!" })).StatusCode);
    }

    [Fact]
    public async Task A_revoked_key_is_refused_within_the_cache_bound()
    {
        using var admin = Cluster.AdminClient(Node);
        var key = await CreateKeyAsync(admin);
        using var client = Cluster.Client(Node, key.Key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/events/statistics")).StatusCode);

        using var revoked = await admin.DeleteAsync($"/api/v1/admin/tenants/{TestCluster.TenantA}/keys/{key.Id}");
        var clock = Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);

        await Eventually.TrueAsync(async () => (await client.GetAsync("/api/v1/events/statistics")).StatusCode == HttpStatusCode.Unauthorized,
            "the revoked key to be refused", TimeSpan.FromSeconds(10));
        output.WriteLine($"revoked key refused after {clock.ElapsedMilliseconds} ms (ORCH_API_KEY_CACHE_SECONDS = 1)");
        // The bound is the cache time (1 s here) plus one poll.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Rotating_a_key_returns_a_new_one_and_retires_the_old()
    {
        using var admin = Cluster.AdminClient(Node);
        var old = await CreateKeyAsync(admin);

        using var rotated = await admin.PostAsync($"/api/v1/admin/tenants/{TestCluster.TenantA}/keys/{old.Id}/rotate", null);
        var fresh = JsonNode.Parse(await rotated.Content.ReadAsStringAsync())!["key"]!["api_key"]!.GetValue<string>();

        using var freshClient = Cluster.Client(Node, fresh);
        using var oldClient = Cluster.Client(Node, old.Key);
        Assert.Equal(HttpStatusCode.OK, (await freshClient.GetAsync("/api/v1/events/statistics")).StatusCode);
        await Eventually.TrueAsync(async () => (await oldClient.GetAsync("/api/v1/events/statistics")).StatusCode == HttpStatusCode.Unauthorized,
            "the old key to be refused", TimeSpan.FromSeconds(10));
        var keys = await admin.GetFromJsonAsync<JsonArray>($"/api/v1/admin/tenants/{TestCluster.TenantA}/keys");
        Assert.Contains(keys!, k => k!["id"]!.GetValue<string>() == old.Id.ToString() && k["revoked_at"] is not null);
    }

    [Fact]
    public async Task Tenant_management_needs_admin_credentials()
    {
        using var anonymous = new HttpClient { BaseAddress = Node.BaseAddress };

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/admin/tenants")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Client.PostAsJsonAsync("/api/v1/admin/tenants", new { id = "sneaky" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Client.GetAsync($"/api/v1/admin/tenants/{TestCluster.TenantA}/webhook-secrets")).StatusCode);
        Assert.False(await Database.ScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM tenants WHERE id = 'sneaky')"));
    }

    private static async Task<(Guid Id, string Key)> CreateKeyAsync(HttpClient admin)
    {
        using var response = await admin.PostAsync($"/api/v1/admin/tenants/{TestCluster.TenantA}/keys", null);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return (Guid.Parse(body["id"]!.GetValue<string>()), body["api_key"]!.GetValue<string>());
    }
}
