using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Api;

public sealed class BatchTests : ClusterTest
{
    [Fact]
    public async Task Valid_items_are_accepted_and_invalid_ones_reported_by_index()
    {
        var later = DateTimeOffset.UtcNow.AddMinutes(5);
        var noDestination = Submissions.Http(Receiver.Url("/b"), later);
        noDestination.Remove("destination");
        var wrongType = Submissions.Http(Receiver.Url("/b"), later);
        wrongType["max_retries"] = "three";
        var events = new JsonArray(
            Submissions.Http(Receiver.Url("/b"), later),
            noDestination,
            Submissions.Http(Receiver.Url("/b"), later),
            wrongType,
            JsonValue.Create(17));

        using var response = await Client.PostAsJsonAsync("/api/v1/events/batch", new JsonObject { ["events"] = events });
        var result = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(2, result["accepted"]!.GetValue<int>());
        Assert.Equal(3, result["rejected"]!.GetValue<int>());
        var items = result["results"]!.AsArray();
        Assert.Equal(["ACCEPTED", "REJECTED", "ACCEPTED", "REJECTED", "REJECTED"], items.Select(i => i!["status"]!.GetValue<string>()));
        Assert.NotNull(items[1]!["errors"]!["destination"]);
        Assert.NotNull(items[3]!["errors"]!["max_retries"]);
        Assert.Equal(2, await Database.CountEventsAsync());
        foreach (var index in new[] { 0, 2 })
        {
            Assert.Equal("PENDING", await Client.StatusOfAsync(Guid.Parse(items[index]!["id"]!.GetValue<string>())));
        }
    }

    [Fact]
    public async Task A_batch_with_no_valid_item_is_a_400_and_stores_nothing()
    {
        var bad = Submissions.Http("not a url");
        using var response = await Client.PostAsJsonAsync("/api/v1/events/batch", new JsonObject { ["events"] = new JsonArray(bad) });
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(problem["errors"]!["events[0].destination"]);
        Assert.Equal(0, await Database.CountEventsAsync());
    }

    [Fact]
    public async Task More_than_a_thousand_events_is_refused_whole()
    {
        var events = new JsonArray(Enumerable.Range(0, 1001).Select(_ => (JsonNode)Submissions.Http(Receiver.Url("/b"))).ToArray());

        using var response = await Client.PostAsJsonAsync("/api/v1/events/batch", new JsonObject { ["events"] = events });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("between 1 and 1000", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await Database.CountEventsAsync());
    }

    [Fact]
    public async Task A_full_batch_of_a_thousand_is_stored_and_delivered()
    {
        var ids = await Client.ScheduleBatchAsync(Enumerable.Range(0, 1000).Select(_ => Submissions.Http(Receiver.Url("/full"))));

        await Eventually.TrueAsync(async () => await Database.CountEventsAsync("status = 'COMPLETED'") == 1000, "1000 deliveries");
        Assert.Equal(ids.Order(), Receiver.Received("/full").Select(r => r.EventId).Order());
    }
}
