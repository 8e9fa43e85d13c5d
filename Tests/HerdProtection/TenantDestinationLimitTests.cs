using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.HerdProtection;

public sealed class TenantDestinationLimitTests : ClusterTest
{
    protected override IReadOnlyDictionary<string, string?> Overrides => new Dictionary<string, string?>
    {
        // Settings are read afresh for each delivery, so the test need not wait out a cache.
        ["ORCH_TENANT_SETTINGS_CACHE_SECONDS"] = "0",
    };

    [Fact]
    public async Task A_tenants_destination_concurrency_bounds_its_own_deliveries_and_no_one_elses()
    {
        using var admin = Cluster.AdminClient(Node);
        using (var update = await admin.PutAsJsonAsync($"/api/v1/admin/tenants/{TestCluster.TenantB}/settings", new { destination_concurrency = 2 }))
        {
            Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        }
        var listed = await admin.GetFromJsonAsync<JsonArray>("/api/v1/admin/tenants");
        var tenantB = listed!.Single(t => (string?)t!["id"] == TestCluster.TenantB)!;
        Assert.Equal(2, (int?)tenantB["settings"]!["destination_concurrency"]);

        // Both tenants deliver to the same destination (one receiver), on paths of their own.
        Receiver.Hold("/tenant-a");
        Receiver.Hold("/tenant-b");
        using var clientB = Cluster.Client(Node, TestCluster.KeyB);
        var idsB = await clientB.ScheduleBatchAsync(Enumerable.Range(0, 8).Select(_ => Submissions.Http(Receiver.Url("/tenant-b"))));
        var idsA = await Client.ScheduleBatchAsync(Enumerable.Range(0, 8).Select(_ => Submissions.Http(Receiver.Url("/tenant-a"))));

        // A, without limits of its own, gets all eight under way at once; B only two.
        await Eventually.TrueAsync(() => Receiver.Received("/tenant-a").Count == 8, "all of tenant A's deliveries to be under way");
        await Eventually.TrueAsync(() => Receiver.Received("/tenant-b").Count == 2, "two of tenant B's deliveries to be under way");
        Assert.Equal(2, Receiver.Received("/tenant-b").Count);

        Receiver.Release("/tenant-a");
        Receiver.Release("/tenant-b");
        foreach (var id in idsA)
        {
            await Client.EventuallyInStatusAsync(id, "COMPLETED");
        }
        foreach (var id in idsB)
        {
            await clientB.EventuallyInStatusAsync(id, "COMPLETED");
        }
        Assert.Equal(8, Receiver.MaxConcurrency("/tenant-a"));
        Assert.Equal(2, Receiver.MaxConcurrency("/tenant-b"));
    }

    [Fact]
    public async Task Destination_limits_that_are_not_positive_integers_are_refused()
    {
        using var admin = Cluster.AdminClient(Node);
        using var response = await admin.PutAsJsonAsync($"/api/v1/admin/tenants/{TestCluster.TenantB}/settings",
            new { destination_concurrency = 0, destination_rate_per_second = "fast" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.NotNull(problem!["errors"]!["destination_concurrency"]);
        Assert.NotNull(problem["errors"]!["destination_rate_per_second"]);
    }
}
