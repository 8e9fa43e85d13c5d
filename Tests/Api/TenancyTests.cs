using System.Net;
using System.Net.Http.Json;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Api;

public sealed class TenancyTests : ClusterTest
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-real-key-at-all")]
    public async Task A_missing_or_wrong_key_is_401_and_stores_nothing(string? key)
    {
        using var client = new HttpClient { BaseAddress = Node.BaseAddress };
        if (key is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("X-Api-Key", key);
        }

        using var post = await client.PostAsJsonAsync("/api/v1/events", Submissions.Http(Receiver.Url("/x")));
        using var get = await client.GetAsync("/api/v1/events/statistics");

        Assert.Equal(HttpStatusCode.Unauthorized, post.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, get.StatusCode);
        Assert.Equal("application/problem+json", post.Content.Headers.ContentType!.MediaType);
        Assert.Equal(0, await Database.CountEventsAsync());
    }

    [Fact]
    public async Task Another_tenants_event_is_not_found_for_every_read_and_write()
    {
        var id = await Client.ScheduleAsync(Submissions.Http(Receiver.Url("/mine"), DateTimeOffset.UtcNow.AddMinutes(5), externalJobId: "job-a"));
        using var other = Cluster.Client(Node, TestCluster.KeyB);

        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/v1/events/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync("/api/v1/events/external/job-a")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.DeleteAsync($"/api/v1/events/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/api/v1/dead-letters/{id}/redrive", null)).StatusCode);
        var all = await other.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("/api/v1/events/external/job-a/all");
        Assert.Empty(all!["items"]!.AsArray());
        var cancelAll = await other.DeleteAsync("/api/v1/events/external/job-a");
        Assert.Contains("\"cancelled\":0", await cancelAll.Content.ReadAsStringAsync());

        Assert.Equal("PENDING", await Client.StatusOfAsync(id));
    }
}
