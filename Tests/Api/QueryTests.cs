using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Api;

public sealed class QueryTests : ClusterTest
{
    [Fact]
    public async Task Lookups_by_external_job_id_return_the_latest_and_page_through_all()
    {
        var now = DateTimeOffset.UtcNow;
        var ids = await Client.ScheduleBatchAsync(Enumerable.Range(1, 5)
            .Select(i => Submissions.Http(Receiver.Url("/q"), now.AddMinutes(i), externalJobId: "job-q")));

        var latest = await Client.GetFromJsonAsync<JsonObject>("/api/v1/events/external/job-q");
        Assert.Equal(ids[^1], Guid.Parse(latest!["id"]!.GetValue<string>()));

        var first = await Client.GetFromJsonAsync<JsonObject>("/api/v1/events/external/job-q/all?page=0&size=2");
        var last = await Client.GetFromJsonAsync<JsonObject>("/api/v1/events/external/job-q/all?page=2&size=2");
        Assert.Equal([ids[4], ids[3]], first!["items"]!.AsArray().Select(e => Guid.Parse(e!["id"]!.GetValue<string>())));
        Assert.True(first["has_more"]!.GetValue<bool>());
        Assert.Equal([ids[0]], last!["items"]!.AsArray().Select(e => Guid.Parse(e!["id"]!.GetValue<string>())));
        Assert.False(last["has_more"]!.GetValue<bool>());

        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/v1/events/external/nope")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.GetAsync("/api/v1/events/external/job-q/all?size=0")).StatusCode);
    }

    [Fact]
    public async Task An_unknown_event_is_a_404_problem()
    {
        using var response = await Client.GetAsync($"/api/v1/events/{Guid.CreateVersion7()}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Statistics_count_by_status_from_the_cached_snapshot()
    {
        Receiver.Script("/s", new Reply(400));
        await Client.ScheduleBatchAsync(Enumerable.Range(0, 3).Select(_ => Submissions.Http(Receiver.Url("/ok"))));
        await Client.ScheduleBatchAsync(Enumerable.Range(0, 2).Select(_ => Submissions.Http(Receiver.Url("/later"), DateTimeOffset.UtcNow.AddHours(1))));
        await Client.ScheduleAsync(Submissions.Http(Receiver.Url("/s")));

        var statistics = await Eventually.ReturnsAsync(
            () => Client.GetFromJsonAsync<JsonObject>("/api/v1/events/statistics"),
            s => s!["counts"]!["COMPLETED"]!.GetValue<long>() == 3 && s["counts"]!["DEAD_LETTER"]!.GetValue<long>() == 1,
            "statistics to catch up");

        Assert.Equal(2, statistics["counts"]!["PENDING"]!.GetValue<long>());
        Assert.Equal(6, statistics["total"]!.GetValue<long>());
        Assert.NotNull(statistics["as_of"]);
        using var other = Cluster.Client(Node, TestCluster.KeyB);
        var otherStatistics = await other.GetFromJsonAsync<JsonObject>("/api/v1/events/statistics");
        Assert.Equal(0, otherStatistics!["total"]!.GetValue<long>());
    }

    [Fact]
    public async Task Dead_letters_are_listed_and_a_redriven_one_is_delivered()
    {
        Receiver.Script("/dl", new Reply(404), new Reply(404));
        var first = await Client.ScheduleAsync(Submissions.Http(Receiver.Url("/dl")));
        var second = await Client.ScheduleAsync(Submissions.Http(Receiver.Url("/dl")));
        await Client.EventuallyInStatusAsync(first, "DEAD_LETTER");
        await Client.EventuallyInStatusAsync(second, "DEAD_LETTER");

        var list = await Client.GetFromJsonAsync<JsonObject>("/api/v1/dead-letters");
        Assert.Equal([first, second], list!["items"]!.AsArray().Select(e => Guid.Parse(e!["id"]!.GetValue<string>())).Order());

        using var one = await Client.PostAsync($"/api/v1/dead-letters/{first}/redrive", null);
        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        using var many = await Client.PostAsJsonAsync("/api/v1/dead-letters/redrive", new { ids = new[] { second, Guid.CreateVersion7() } });
        var manyResult = JsonNode.Parse(await many.Content.ReadAsStringAsync())!;
        Assert.Equal([second], manyResult["redriven"]!.AsArray().Select(i => Guid.Parse(i!.GetValue<string>())));
        Assert.Single(manyResult["not_redriven"]!.AsArray());

        var redelivered = await Client.EventuallyInStatusAsync(first, "COMPLETED");
        await Client.EventuallyInStatusAsync(second, "COMPLETED");
        Assert.Equal(1, redelivered["attempts"]!.GetValue<int>());
        Assert.Equal(4, Receiver.Received("/dl").Count);
        using var again = await Client.PostAsync($"/api/v1/dead-letters/{first}/redrive", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task Redrive_many_validates_its_ids()
    {
        using var response = await Client.PostAsJsonAsync("/api/v1/dead-letters/redrive", new { ids = new object[] { "not-a-uuid", 5 } });
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(problem["errors"]!["ids[0]"]);
        Assert.NotNull(problem["errors"]!["ids[1]"]);
    }
}
