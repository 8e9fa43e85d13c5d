using System.Net;
using System.Net.Http.Json;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.HerdProtection;

public sealed class FlexWindowTests : ClusterTest
{
    [Fact]
    public async Task A_flexible_window_spreads_events_sharing_one_time_across_the_window()
    {
        var at = DateTimeOffset.UtcNow.AddMinutes(10);
        var bodies = Enumerable.Range(0, 200).Select(_ =>
        {
            var body = Submissions.Http(Receiver.Url("/spread"), at);
            body["flex_window_seconds"] = 60;
            return body;
        }).ToList();
        var requested = DateTimeOffset.Parse(bodies[0]["scheduled_at"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);

        await Client.ScheduleBatchAsync(bodies);

        Assert.True(await Database.ScalarAsync<bool>(
            "SELECT min(scheduled_at) >= $1 AND max(scheduled_at) < $1 + interval '60 seconds' FROM events", requested));
        // 200 uniform draws over a minute: every 10-second slice gets some.
        Assert.Equal(6, await Database.ScalarAsync<long>(
            "SELECT count(DISTINCT floor(EXTRACT(EPOCH FROM scheduled_at - $1) / 10)) FROM events", requested));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(86_401)]
    public async Task A_window_out_of_range_is_a_400_and_stores_nothing(int seconds)
    {
        var body = Submissions.Http(Receiver.Url("/spread"));
        body["flex_window_seconds"] = seconds;

        using var response = await Client.PostAsJsonAsync("/api/v1/events", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("flex_window_seconds", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await Database.CountEventsAsync());
    }
}
