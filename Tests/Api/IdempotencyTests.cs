using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Api;

public sealed class IdempotencyTests : ClusterTest
{
    [Fact]
    public async Task A_repeated_idempotency_key_returns_the_original_event_and_stores_one()
    {
        var body = Submissions.Http(Receiver.Url("/once"), DateTimeOffset.UtcNow.AddMinutes(5));
        body["idempotency_key"] = "order-1";
        var original = await Client.ScheduleAsync(body);

        var again = Submissions.Http(Receiver.Url("/once"), DateTimeOffset.UtcNow.AddMinutes(6));
        again["idempotency_key"] = "order-1";
        using var response = await Client.PostAsJsonAsync("/api/v1/events", again);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var returned = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(original, Guid.Parse(returned["id"]!.GetValue<string>()));
        Assert.Equal(body["scheduled_at"]!.GetValue<string>()[..19], returned["scheduled_at"]!.GetValue<string>()[..19]);
        Assert.Equal(1, await Database.CountEventsAsync());
    }

    [Fact]
    public async Task The_Idempotency_Key_header_deduplicates_too()
    {
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/events")
            {
                Content = JsonContent.Create(Submissions.Http(Receiver.Url("/h"), DateTimeOffset.UtcNow.AddMinutes(5))),
            };
            request.Headers.Add("Idempotency-Key", "header-key");
            using var response = await Client.SendAsync(request);
            Assert.True(response.IsSuccessStatusCode);
            ids.Add(Guid.Parse(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!.GetValue<string>()));
        }

        Assert.Single(ids.Distinct());
        Assert.Equal(1, await Database.CountEventsAsync());
    }

    [Fact]
    public async Task Concurrent_submissions_with_one_key_store_one_event()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            var body = Submissions.Http(Receiver.Url("/c"), DateTimeOffset.UtcNow.AddMinutes(5));
            body["idempotency_key"] = "concurrent";
            using var response = await Client.PostAsJsonAsync("/api/v1/events", body);
            return (response.StatusCode, Id: JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!.GetValue<string>());
        }));

        Assert.Single(responses.Select(r => r.Id).Distinct());
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Accepted);
        Assert.Equal(1, await Database.CountEventsAsync());
    }

    [Fact]
    public async Task The_same_key_for_two_tenants_makes_two_events()
    {
        using var clientB = Cluster.Client(Node, TestCluster.KeyB);
        var body = Submissions.Http(Receiver.Url("/t"), DateTimeOffset.UtcNow.AddMinutes(5));
        body["idempotency_key"] = "shared";

        var a = await Client.ScheduleAsync(body);
        var b = await clientB.ScheduleAsync(body);

        Assert.NotEqual(a, b);
        Assert.Equal(2, await Database.CountEventsAsync());
    }

    [Fact]
    public async Task A_batch_repeating_a_key_stores_it_once_and_reports_the_duplicates()
    {
        var events = new JsonArray();
        for (var i = 0; i < 3; i++)
        {
            var item = Submissions.Http(Receiver.Url("/b"), DateTimeOffset.UtcNow.AddMinutes(5));
            item["idempotency_key"] = "batch-key";
            events.Add(item);
        }

        using var response = await Client.PostAsJsonAsync("/api/v1/events/batch", new JsonObject { ["events"] = events });
        var result = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(1, result["accepted"]!.GetValue<int>());
        Assert.Equal(2, result["duplicates"]!.GetValue<int>());
        Assert.Single(result["results"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()).Distinct());
        Assert.Equal(1, await Database.CountEventsAsync());
    }
}
