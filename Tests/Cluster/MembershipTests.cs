using System.Diagnostics;
using Orchestrator.Silo.Reminders;
using Orchestrator.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Orchestrator.Tests.Cluster;

public sealed class MembershipTests(ITestOutputHelper output) : ClusterTest
{
    protected override IReadOnlyDictionary<string, string?> Overrides => new Dictionary<string, string?>
    {
        // A claim lease far longer than the test: recovery must come from the death of the silo.
        ["ORCH_CLAIM_LEASE_MS"] = "120000",
        ["ORCH_SILO_DEAD_AFTER_MS"] = "2000",
        ["ORCH_LEASE_RECOVERY_INTERVAL_MS"] = "250",
    };

    protected override bool StartsAllInOneNode => false;

    [Fact]
    public async Task Events_claimed_by_a_killed_silo_are_recovered_long_before_their_lease_expires()
    {
        const int count = 20;
        var api = await Cluster.StartApiAsync();
        using var client = Cluster.Client(api);
        await using var doomed = SiloProcess.Start(Cluster.Settings);
        await Database.WaitForAliveSilosAsync(1);
        Receiver.Hold("/dies");
        var ids = await client.ScheduleBatchAsync(Enumerable.Range(0, count).Select(_ => Submissions.Http(Receiver.Url("/dies"))));
        await Eventually.TrueAsync(() => Receiver.Received("/dies").Count == count, "the doomed silo to be delivering", TimeSpan.FromSeconds(60));

        doomed.Kill();
        var clock = Stopwatch.StartNew();
        Receiver.Release("/dies");
        await Cluster.StartSiloAsync();

        await Eventually.TrueAsync(async () => await Database.CountEventsAsync("status = 'COMPLETED'") == count,
            "the survivor to deliver every event", TimeSpan.FromSeconds(60));
        output.WriteLine($"claims of the killed silo delivered {clock.Elapsed.TotalSeconds:0.0}s after the kill (claim lease 120s)");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "recovery waited for the claim lease");
        Assert.Equal("DEAD", await Database.ScalarAsync<string>("SELECT status FROM silos ORDER BY started_at LIMIT 1"));
        Assert.All(ids, id => Assert.Equal(2, Receiver.Received("/dies").Count(r => r.EventId == id)));
    }

    [Fact]
    public async Task A_silo_joining_mid_load_takes_a_share_of_the_work()
    {
        const int count = 3000;
        var first = await Cluster.StartSiloAsync(withApi: true);
        using var client = Cluster.Client(first);
        var start = DateTimeOffset.UtcNow.AddSeconds(1);
        // Due times spread over four seconds, so there is work left when the second silo joins.
        var ids = new List<Guid>();
        for (var batch = 0; batch < count / 1000; batch++)
        {
            ids.AddRange(await client.ScheduleBatchAsync(Enumerable.Range(batch * 1000, 1000)
                .Select(i => Submissions.Http(Receiver.Url("/load"), start.AddMilliseconds(i * 4000.0 / count)))));
        }
        await Eventually.TrueAsync(() => Receiver.Received("/load").Count >= 300, "the load to be under way");

        var joiner = await Cluster.StartSiloAsync();

        await Eventually.TrueAsync(async () => await Database.CountEventsAsync("status = 'COMPLETED'") == count, "every event delivered");
        var firstFired = first.Services.GetRequiredService<ReminderService>().Fired;
        var joinerFired = joiner.Services.GetRequiredService<ReminderService>().Fired;
        output.WriteLine($"first silo fired {firstFired}, the joiner {joinerFired}");
        Assert.True(joinerFired > 0, "the joining silo fired nothing");
        Assert.Equal(count, firstFired + joinerFired);
        Assert.Equal(ids.Order(), Receiver.Received("/load").Select(r => r.EventId).Order());
    }
}
