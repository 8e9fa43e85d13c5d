using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Cluster;

public sealed class CrashRecoveryTests : ClusterTest
{
    private static readonly Dictionary<string, string?> ShortLease = new()
    {
        ["ORCH_CLAIM_LEASE_MS"] = "3000",
        ["ORCH_DELIVERY_TIMEOUT_MS"] = "1500",
        ["ORCH_DESTINATION_QUEUE_WAIT_MS"] = "500",
    };

    protected override IReadOnlyDictionary<string, string?> Overrides => ShortLease;

    protected override bool StartsAllInOneNode => false;

    [Fact]
    public async Task Events_claimed_by_a_killed_silo_are_delivered_after_the_lease_expires()
    {
        const int count = 20;
        var api = await Cluster.StartApiAsync();
        using var client = Cluster.Client(api);
        await using var doomed = SiloProcess.Start(Cluster.Settings);
        await Database.WaitForAliveSilosAsync(1);
        Receiver.Hold("/crash");

        var ids = await client.ScheduleBatchAsync(Enumerable.Range(0, count).Select(_ => Submissions.Http(Receiver.Url("/crash"))));
        await Eventually.TrueAsync(() => Receiver.Received("/crash").Count == count, "the doomed silo to be delivering every event");
        doomed.Kill();
        Receiver.Release("/crash");
        Assert.Equal(count, await Database.CountEventsAsync("status = 'PROCESSING'"));

        var survivor = await Cluster.StartSiloAsync();

        await Eventually.TrueAsync(async () => await Database.CountEventsAsync("status = 'COMPLETED'") == count,
            "the survivor to deliver every event");
        foreach (var id in ids)
        {
            var stored = await client.GetEventAsync(id);
            Assert.Equal(2, stored!["attempts"]!.GetValue<int>());
            Assert.Equal(2, Receiver.Received("/crash").Count(r => r.EventId == id));
        }
    }
}
