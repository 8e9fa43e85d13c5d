using System.Diagnostics;
using Orchestrator.Silo.Reminders;
using Orchestrator.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Orchestrator.Tests.Cluster;

public sealed class TwoSiloTests(ITestOutputHelper output) : ClusterTest
{
    protected override bool StartsAllInOneNode => false;

    [Fact]
    public async Task Two_silos_share_2000_events_and_never_claim_one_twice()
    {
        const int count = 2000;
        var api = await Cluster.StartApiAsync();
        var silos = new[] { await Cluster.StartSiloAsync(), await Cluster.StartSiloAsync() };
        using var client = Cluster.Client(api);

        var at = DateTimeOffset.UtcNow.AddSeconds(2);
        var ids = new List<Guid>();
        for (var batch = 0; batch < count / 1000; batch++)
        {
            ids.AddRange(await client.ScheduleBatchAsync(Enumerable.Range(0, 1000).Select(_ => Submissions.Http(Receiver.Url("/shared"), at))));
        }
        var wait = at - DateTimeOffset.UtcNow;
        Assert.True(wait > TimeSpan.Zero, "scheduling took longer than the lead time");
        await Task.Delay(wait);
        var clock = Stopwatch.StartNew();
        await Eventually.TrueAsync(async () => await Database.CountEventsAsync("status = 'COMPLETED'") == count, "every event delivered");
        clock.Stop();

        var received = Receiver.Received("/shared").Select(r => r.EventId).ToList();
        Assert.Equal(count, received.Count);
        Assert.Equal(ids.Order(), received.Order());
        var fired = silos.Select(s => s.Services.GetRequiredService<ReminderService>().Fired).ToArray();
        Assert.Equal(count, fired.Sum());
        Assert.All(fired, f => Assert.True(f > 0, $"a silo fired nothing: {string.Join(", ", fired)}"));
        output.WriteLine($"{count} events delivered by 2 silos in {clock.Elapsed.TotalSeconds:0.00}s " +
                         $"({count / clock.Elapsed.TotalSeconds:0} events/s); split {string.Join(" / ", fired)}");
    }

    [Fact]
    public async Task A_silo_stopped_gracefully_finishes_and_records_its_deliveries()
    {
        var api = await Cluster.StartApiAsync();
        var silo = await Cluster.StartSiloAsync();
        using var client = Cluster.Client(api);
        Receiver.Hold("/graceful");
        await client.ScheduleBatchAsync(Enumerable.Range(0, 5).Select(_ => Submissions.Http(Receiver.Url("/graceful"))));
        await Eventually.TrueAsync(() => Receiver.Received("/graceful").Count == 5, "five deliveries in flight");

        var stopping = Cluster.StopAsync(silo);
        await Eventually.TrueAsync(() => silo.App.Lifetime.ApplicationStopping.IsCancellationRequested, "the stop to begin");
        Receiver.Release("/graceful");
        await stopping;

        Assert.Equal(5, await Database.CountEventsAsync("status = 'COMPLETED'"));
        Assert.Equal(0, await Database.CountEventsAsync("status = 'PROCESSING'"));
    }
}
