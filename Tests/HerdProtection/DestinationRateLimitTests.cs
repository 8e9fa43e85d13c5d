using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.HerdProtection;

public sealed class DestinationRateLimitTests : ClusterTest
{
    private const int RatePerSecond = 20;

    protected override IReadOnlyDictionary<string, string?> Overrides => new Dictionary<string, string?>
    {
        ["ORCH_DESTINATION_RATE_LIMITS"] = $"{Receiver.BaseAddress.Authority}={RatePerSecond}",
    };

    [Fact]
    public async Task Deliveries_to_a_rate_limited_destination_start_no_faster_than_its_rate()
    {
        // 60 events due at once would arrive within a fraction of a second unlimited.
        var ids = await Client.ScheduleBatchAsync(Enumerable.Range(0, 60).Select(_ => Submissions.Http(Receiver.Url("/rated"))));
        foreach (var id in ids)
        {
            await Client.EventuallyInStatusAsync(id, "COMPLETED", TimeSpan.FromSeconds(30));
        }

        var arrivals = Receiver.Received("/rated").Select(r => r.ReceivedAt).Order().ToList();
        Assert.Equal(60, arrivals.Count);
        // At 20 a second (refilled by twos every 100 ms) 60 take at least ~2.9 s.
        Assert.True(arrivals[^1] - arrivals[0] >= TimeSpan.FromSeconds(2.5), $"60 deliveries took only {(arrivals[^1] - arrivals[0]).TotalSeconds:0.00}s");
        // No one-second window holds more than the rate and one refill's worth of slack.
        var busiest = arrivals.Select((start, i) => arrivals.Skip(i).TakeWhile(at => at - start < TimeSpan.FromSeconds(1)).Count()).Max();
        Assert.True(busiest <= RatePerSecond + 4, $"{busiest} deliveries started within one second");
    }
}
