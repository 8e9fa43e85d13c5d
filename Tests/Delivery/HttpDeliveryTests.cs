using System.Text.Json.Nodes;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Delivery;

public sealed class HttpDeliveryTests : ClusterTest
{
    [Fact]
    public async Task Event_is_delivered_at_its_scheduled_time_with_payload_and_headers_intact()
    {
        var at = DateTimeOffset.UtcNow.AddSeconds(2);
        var body = Submissions.Http(Receiver.Url("/hook"), at);
        body["payload"] = JsonNode.Parse("""{"invoice":"INV-1","amount":12.5,"lines":[1,2,3],"nested":{"ok":true},"text":"héllo ✓"}""");
        body["headers"] = new JsonObject { ["X-Trace-Id"] = "trace-123", ["Authorization"] = "Bearer abc" };
        var id = await Client.ScheduleAsync(body);

        var request = await Eventually.ReturnsAsync(() => Task.FromResult(Receiver.Received("/hook").SingleOrDefault()),
            r => r is not null, "the delivery");

        var scheduled = DateTimeOffset.Parse(body["scheduled_at"]!.GetValue<string>());
        Assert.True(request.ReceivedAt >= scheduled, $"delivered at {request.ReceivedAt:O}, before {scheduled:O}");
        Assert.True(request.ReceivedAt - scheduled < TimeSpan.FromSeconds(2), $"delivered {request.ReceivedAt - scheduled} late");
        Assert.True(JsonNode.DeepEquals(body["payload"], JsonNode.Parse(request.Body)), $"payload arrived as {request.Body}");
        Assert.Equal("trace-123", request.Headers["X-Trace-Id"]);
        Assert.Equal("Bearer abc", request.Headers["Authorization"]);
        Assert.Equal(id.ToString(), request.Headers["Idempotency-Key"]);
        Assert.StartsWith("application/json", request.Headers["Content-Type"]);

        var stored = await Client.EventuallyInStatusAsync(id, "COMPLETED");
        Assert.Equal(1, stored["attempts"]!.GetValue<int>());
        Assert.Equal(200, stored["last_status_code"]!.GetValue<int>());
        Assert.NotNull(stored["completed_at"]);
    }

    [Fact]
    public async Task Event_due_in_the_past_is_delivered_at_once()
    {
        var id = await Client.ScheduleAsync(Submissions.Http(Receiver.Url("/late"), DateTimeOffset.UtcNow.AddMinutes(-5)));

        await Client.EventuallyInStatusAsync(id, "COMPLETED", TimeSpan.FromSeconds(10));
        Assert.Equal(id, Receiver.Received("/late").Single().EventId);
    }

    [Fact]
    public async Task Many_events_due_together_are_each_delivered_once()
    {
        var ids = new List<Guid>();
        for (var i = 0; i < 50; i++)
        {
            ids.Add(await Client.ScheduleAsync(Submissions.Http(Receiver.Url("/many"))));
        }

        await Eventually.TrueAsync(() => Receiver.Received("/many").Count >= 50, "50 deliveries");
        await Eventually.TrueAsync(async () => await Database.CountEventsAsync("status = 'COMPLETED'") == 50, "all COMPLETED");
        Assert.Equal(ids.Order(), Receiver.Received("/many").Select(r => r.EventId).Order());
    }
}
