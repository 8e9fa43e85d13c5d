using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.HerdProtection;

public sealed class SlowDownTests : ClusterTest
{
    [Fact]
    public async Task A_429_with_Retry_After_pauses_the_destination_for_every_event_without_using_their_retries()
    {
        Receiver.Script("/crowded", new Reply(429, RetryAfterSeconds: 2));
        var first = await Client.ScheduleAsync(Submissions.Http(Receiver.Url("/crowded")));
        await Eventually.TrueAsync(() => Receiver.Received("/crowded").Count == 1, "the first attempt");
        var told = Receiver.Received("/crowded")[0].ReceivedAt;

        // Events falling due while the destination asked for a pause wait for it.
        var others = await Client.ScheduleBatchAsync(Enumerable.Range(0, 5).Select(_ => Submissions.Http(Receiver.Url("/crowded"))));

        foreach (var id in others.Append(first))
        {
            await Client.EventuallyInStatusAsync(id, "COMPLETED");
        }
        var later = Receiver.Received("/crowded").Skip(1).ToList();
        Assert.Equal(6, later.Count);
        Assert.All(later, r => Assert.True(r.ReceivedAt - told >= TimeSpan.FromSeconds(1.9), $"delivered {r.ReceivedAt - told} after the 429"));
        foreach (var id in others)
        {
            Assert.Equal(1, (await Client.GetEventAsync(id))!["attempts"]!.GetValue<int>());
        }
    }
}
