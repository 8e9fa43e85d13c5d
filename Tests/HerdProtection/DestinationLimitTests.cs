using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.HerdProtection;

public sealed class DestinationLimitTests : ClusterTest
{
    // The receiver exists before the cluster starts, so its address can be named here.
    protected override IReadOnlyDictionary<string, string?> Overrides => new Dictionary<string, string?>
    {
        ["ORCH_DESTINATION_LIMITS"] = $"{Receiver.BaseAddress.Authority}=2",
    };

    [Fact]
    public async Task A_destination_never_gets_more_concurrent_deliveries_than_its_limit()
    {
        Receiver.Hold("/narrow");
        var ids = await Client.ScheduleBatchAsync(Enumerable.Range(0, 10).Select(_ => Submissions.Http(Receiver.Url("/narrow"))));
        await Eventually.TrueAsync(() => Receiver.Received("/narrow").Count == 2, "two deliveries to be under way");

        Receiver.Release("/narrow");

        foreach (var id in ids)
        {
            await Client.EventuallyInStatusAsync(id, "COMPLETED");
        }
        Assert.Equal(2, Receiver.MaxConcurrency("/narrow"));
        Assert.Equal(10, Receiver.Received("/narrow").Count);
    }
}
