using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Api;

public sealed class HostingTests : ClusterTest
{
    [Fact]
    public async Task Liveness_and_readiness_answer_without_credentials()
    {
        using var anonymous = new HttpClient { BaseAddress = Node.BaseAddress };

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/live")).StatusCode);
        using var ready = await anonymous.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Readiness_fails_when_the_schema_is_behind()
    {
        await Database.ScalarAsync<int>("WITH d AS (DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations) RETURNING 1) SELECT count(*)::int FROM d");
        using var anonymous = new HttpClient { BaseAddress = Node.BaseAddress };

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await anonymous.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_every_endpoint()
    {
        var document = await Client.GetFromJsonAsync<JsonObject>("/openapi/v1.json");
        var paths = document!["paths"]!.AsObject();

        string[] expected =
        [
            "post /api/v1/events", "post /api/v1/events/batch", "get /api/v1/events/statistics",
            "get /api/v1/events/{id}", "delete /api/v1/events/{id}",
            "get /api/v1/events/external/{externalJobId}", "delete /api/v1/events/external/{externalJobId}",
            "get /api/v1/events/external/{externalJobId}/all",
            "get /api/v1/dead-letters", "post /api/v1/dead-letters/{id}/redrive", "post /api/v1/dead-letters/redrive",
        ];
        var documented = paths.SelectMany(p => p.Value!.AsObject().Select(op => $"{op.Key} {p.Key}")).ToHashSet();
        Assert.All(expected, endpoint => Assert.Contains(endpoint, documented));
        Assert.NotNull(paths["/api/v1/events"]!["post"]!["requestBody"]);
    }

    [Fact]
    public async Task Schema_migration_is_idempotent_and_safe_when_nodes_start_together()
    {
        var nodes = await Task.WhenAll(Cluster.StartSiloAsync(), Cluster.StartApiAsync(), Cluster.StartSiloAsync());

        Assert.Equal(3, nodes.Length);
        var applied = await Database.ScalarAsync<long>("SELECT count(*) FROM schema_migrations");
        var distinct = await Database.ScalarAsync<long>("SELECT count(DISTINCT version) FROM schema_migrations");
        Assert.Equal(distinct, applied);
        Assert.True(applied >= 2);
    }

    [Fact]
    public async Task Todays_partitions_exist_and_events_land_in_them()
    {
        var id = await Client.ScheduleAsync(Submissions.Http(Receiver.Url("/p"), DateTimeOffset.UtcNow.AddMinutes(1)));

        var partition = await Database.ScalarAsync<string>("SELECT tableoid::regclass::text FROM events WHERE id = $1", id);
        Assert.Equal($"events_{DateTime.UtcNow:yyyyMMdd}", partition);
        var partitions = await Database.ScalarAsync<long>(
            "SELECT count(*) FROM pg_inherits WHERE inhparent = 'events'::regclass");
        Assert.True(partitions >= 15, $"{partitions} partitions");
    }
}
