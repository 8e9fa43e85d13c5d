using System.Net;
using System.Text.Json.Nodes;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Lifecycle;

public sealed class CancellationTests : ClusterTest
{
    [Fact]
    public async Task An_event_cancelled_before_it_fires_is_never_delivered()
    {
        var at = DateTimeOffset.UtcNow.AddSeconds(1.5);
        var cancelled = await Client.ScheduleAsync(Submissions.Http(Receiver.Url("/target"), at));
        // A sentinel due just after: once it has arrived, the cancelled one's time has passed too.
        var sentinel = await Client.ScheduleAsync(Submissions.Http(Receiver.Url("/target"), at.AddMilliseconds(500)));

        using var response = await Client.DeleteAsync($"/api/v1/events/{cancelled}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("CANCELLED", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["status"]!.GetValue<string>());

        await Client.EventuallyInStatusAsync(sentinel, "COMPLETED");
        Assert.Equal([sentinel], Receiver.Received("/target").Select(r => r.EventId));
        Assert.Equal("CANCELLED", await Client.StatusOfAsync(cancelled));
    }

    [Fact]
    public async Task Cancelling_a_delivered_event_is_a_conflict()
    {
        var id = await Client.ScheduleAsync(Submissions.Http(Receiver.Url("/done")));
        await Client.EventuallyInStatusAsync(id, "COMPLETED");

        using var response = await Client.DeleteAsync($"/api/v1/events/{id}");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("COMPLETED", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Cancelling_an_event_being_delivered_is_a_conflict_and_the_delivery_completes()
    {
        Receiver.Hold("/slow");
        var id = await Client.ScheduleAsync(Submissions.Http(Receiver.Url("/slow")));
        await Eventually.TrueAsync(() => Receiver.Received("/slow").Count == 1, "the delivery to start");

        using var response = await Client.DeleteAsync($"/api/v1/events/{id}");
        Receiver.Release("/slow");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("PROCESSING", await response.Content.ReadAsStringAsync());
        await Client.EventuallyInStatusAsync(id, "COMPLETED");
    }

    [Fact]
    public async Task A_cancel_racing_a_firing_has_exactly_one_winner()
    {
        const int count = 200;
        var at = DateTimeOffset.UtcNow.AddSeconds(1);
        var ids = await Client.ScheduleBatchAsync(Enumerable.Range(0, count).Select(_ => Submissions.Http(Receiver.Url("/race"), at)));
        // Fire the cancels while the silo is claiming the same events.
        var delay = at - DateTimeOffset.UtcNow;
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay);
        }
        var cancels = await Task.WhenAll(ids.Select(async id =>
        {
            using var response = await Client.DeleteAsync($"/api/v1/events/{id}");
            return (id, response.StatusCode);
        }));
        var cancelledIds = cancels.Where(c => c.StatusCode == HttpStatusCode.OK).Select(c => c.id).ToHashSet();
        var lostIds = cancels.Where(c => c.StatusCode == HttpStatusCode.Conflict).Select(c => c.id).ToHashSet();
        Assert.Equal(count, cancelledIds.Count + lostIds.Count);

        await Eventually.TrueAsync(async () =>
            await Database.CountEventsAsync("status IN ('PENDING', 'PROCESSING')") == 0, "every event to settle");

        var delivered = Receiver.Received("/race").Select(r => r.EventId).ToHashSet();
        Assert.Empty(delivered.Intersect(cancelledIds));
        Assert.Equal(lostIds.Order(), delivered.Order());
        foreach (var id in cancelledIds)
        {
            Assert.Equal("CANCELLED", await Client.StatusOfAsync(id));
        }
    }

    [Fact]
    public async Task Cancelling_by_external_job_id_cancels_its_pending_events()
    {
        var at = DateTimeOffset.UtcNow.AddMinutes(10);
        var first = await Client.ScheduleAsync(Submissions.Http(Receiver.Url("/x"), at, externalJobId: "job-7"));
        var second = await Client.ScheduleAsync(Submissions.Http(Receiver.Url("/x"), at.AddMinutes(1), externalJobId: "job-7"));
        var other = await Client.ScheduleAsync(Submissions.Http(Receiver.Url("/x"), at, externalJobId: "job-8"));

        using var response = await Client.DeleteAsync("/api/v1/events/external/job-7");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["cancelled"]!.GetValue<int>());
        Assert.Equal("CANCELLED", await Client.StatusOfAsync(first));
        Assert.Equal("CANCELLED", await Client.StatusOfAsync(second));
        Assert.Equal("PENDING", await Client.StatusOfAsync(other));
    }

    [Fact]
    public async Task Cancelling_an_unknown_event_is_not_found()
    {
        using var response = await Client.DeleteAsync($"/api/v1/events/{Guid.CreateVersion7()}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
