using Orchestrator.Grains.Storage.Events;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Storage;

public sealed class PartitionTests : ClusterTest
{
    [Fact]
    public async Task An_event_beyond_the_created_days_waits_in_the_default_partition_and_moves_when_its_day_is_created()
    {
        var at = DateTimeOffset.UtcNow.Date.AddDays(60).AddHours(10);
        var id = await Client.ScheduleAsync(Submissions.Http(Receiver.Url("/far"), new DateTimeOffset(at, TimeSpan.Zero)));
        Assert.Equal("events_default", await PartitionOf(id));

        var created = await Node.Services.GetRequiredService<EventStore>()
            .EnsurePartitionsAsync(DateOnly.FromDateTime(at), 1, CancellationToken.None);

        Assert.Equal(1, created);
        Assert.Equal($"events_{at:yyyyMMdd}", await PartitionOf(id));
        Assert.Equal("PENDING", await Client.StatusOfAsync(id));
        Assert.Equal(0, await Database.ScalarAsync<long>("SELECT count(*) FROM events_default"));
    }

    private Task<string> PartitionOf(Guid id) =>
        Database.ScalarAsync<string>("SELECT tableoid::regclass::text FROM events WHERE id = $1", id);
}
