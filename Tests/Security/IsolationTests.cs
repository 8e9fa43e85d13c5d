using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Security;

/// <summary>
/// Tenant B against tenant A's events, through every tenant endpoint the application maps.
/// The endpoints are read from the running application, so an endpoint added without a case
/// here fails this test.
/// </summary>
public sealed class IsolationTests : ClusterTest
{
    private Guid _pending;
    private Guid _deadLetter;

    [Fact]
    public async Task Another_tenants_events_are_invisible_through_every_tenant_endpoint()
    {
        await ArrangeTenantAAsync();
        using var b = Cluster.Client(Node, TestCluster.KeyB);
        var cases = new Dictionary<string, Func<Task>>
        {
            ["POST /api/v1/events"] = async () =>
            {
                var body = Submissions.Http(Receiver.Url("/b"), DateTimeOffset.UtcNow.AddHours(1));
                body["idempotency_key"] = "key-a";
                Assert.NotEqual(_pending, await b.ScheduleAsync(body));
            },
            ["POST /api/v1/events/batch"] = async () =>
            {
                var body = Submissions.Http(Receiver.Url("/b"), DateTimeOffset.UtcNow.AddHours(1));
                body["idempotency_key"] = "key-a";
                using var response = await b.PostAsJsonAsync("/api/v1/events/batch", new JsonObject { ["events"] = new JsonArray(body) });
                var id = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["results"]![0]!["id"]!.GetValue<string>();
                Assert.NotEqual(_pending, Guid.Parse(id)); // B's own event (or B's own duplicate), never A's
            },
            ["GET /api/v1/events/statistics"] = async () =>
            {
                var statistics = await b.GetFromJsonAsync<JsonObject>("/api/v1/events/statistics");
                Assert.Equal(0, statistics!["counts"]!["DEAD_LETTER"]!.GetValue<long>());
            },
            ["GET /api/v1/events/{id:guid}"] = async () =>
                Assert.Equal(HttpStatusCode.NotFound, (await b.GetAsync($"/api/v1/events/{_pending}")).StatusCode),
            ["DELETE /api/v1/events/{id:guid}"] = async () =>
                Assert.Equal(HttpStatusCode.NotFound, (await b.DeleteAsync($"/api/v1/events/{_pending}")).StatusCode),
            ["GET /api/v1/events/external/{externalJobId}"] = async () =>
                Assert.Equal(HttpStatusCode.NotFound, (await b.GetAsync("/api/v1/events/external/job-a")).StatusCode),
            ["GET /api/v1/events/external/{externalJobId}/all"] = async () =>
                Assert.Empty((await b.GetFromJsonAsync<JsonObject>("/api/v1/events/external/job-a/all"))!["items"]!.AsArray()),
            ["DELETE /api/v1/events/external/{externalJobId}"] = async () =>
                Assert.Equal(0, JsonNode.Parse(await (await b.DeleteAsync("/api/v1/events/external/job-a")).Content.ReadAsStringAsync())!["cancelled"]!.GetValue<int>()),
            ["GET /api/v1/dead-letters"] = async () =>
                Assert.Empty((await b.GetFromJsonAsync<JsonObject>("/api/v1/dead-letters"))!["items"]!.AsArray()),
            ["POST /api/v1/dead-letters/{id:guid}/redrive"] = async () =>
                Assert.Equal(HttpStatusCode.NotFound, (await b.PostAsync($"/api/v1/dead-letters/{_deadLetter}/redrive", null)).StatusCode),
            ["POST /api/v1/dead-letters/redrive"] = async () =>
            {
                var result = JsonNode.Parse(await (await b.PostAsJsonAsync("/api/v1/dead-letters/redrive", new { ids = new[] { _deadLetter } })).Content.ReadAsStringAsync())!;
                Assert.Empty(result["redriven"]!.AsArray());
            },
        };

        var mapped = Node.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/v1/") && !e.RoutePattern.RawText.StartsWith("/api/v1/admin"))
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m => $"{m} {e.RoutePattern.RawText!.TrimEnd('/')}"))
            .ToList();
        Assert.All(mapped, endpoint => Assert.True(cases.ContainsKey(endpoint), $"{endpoint} has no isolation case"));
        foreach (var endpoint in mapped)
        {
            await cases[endpoint]();
        }

        Assert.Equal("PENDING", await Client.StatusOfAsync(_pending));
        Assert.Equal("DEAD_LETTER", await Client.StatusOfAsync(_deadLetter));
    }

    private async Task ArrangeTenantAAsync()
    {
        var pending = Submissions.Http(Receiver.Url("/a"), DateTimeOffset.UtcNow.AddHours(1), externalJobId: "job-a");
        pending["idempotency_key"] = "key-a";
        _pending = await Client.ScheduleAsync(pending);
        Receiver.Script("/a-dead", new Reply(410));
        _deadLetter = await Client.ScheduleAsync(Submissions.Http(Receiver.Url("/a-dead"), externalJobId: "job-a"));
        await Client.EventuallyInStatusAsync(_deadLetter, "DEAD_LETTER");
        await Eventually.ReturnsAsync(() => Client.GetFromJsonAsync<JsonObject>("/api/v1/events/statistics"),
            s => s!["counts"]!["DEAD_LETTER"]!.GetValue<long>() == 1, "tenant A's statistics");
    }
}
