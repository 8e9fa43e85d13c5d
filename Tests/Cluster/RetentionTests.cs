using System.Net;
using System.Text.Json.Nodes;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Cluster;

public sealed class RetentionTests : ClusterTest
{
    // Scheduled retention runs once at start, then not again during the test.
    protected override IReadOnlyDictionary<string, string?> Overrides => new Dictionary<string, string?>
    {
        ["ORCH_RETENTION_INTERVAL_MS"] = "86400000",
    };

    protected override bool StartsAllInOneNode => false;

    [Fact]
    public async Task Running_maintenance_creates_partitions_ahead_and_drops_only_expired_finished_ones()
    {
        var silo = await Cluster.StartSiloAsync(withApi: true);
        using var client = Cluster.Client(silo);
        using var admin = Cluster.AdminClient(silo);
        await Eventually.TrueAsync(async () => await Database.ScalarAsync<long>(
            "SELECT count(*) FROM maintenance_runs WHERE duty = 'retention' AND finished_at IS NOT NULL") == 1, "the scheduled retention run at start");
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var finishedDay = today.AddDays(-40);
        var pendingDay = today.AddDays(-39);
        var emptyDay = today.AddDays(-38);
        var recentDay = today.AddDays(-3);
        var events = silo.Services.GetRequiredService<Orchestrator.Grains.Storage.Events.EventStore>();
        await events.EnsurePartitionsAsync(finishedDay, 3, CancellationToken.None);
        await events.EnsurePartitionsAsync(recentDay, 1, CancellationToken.None);
        await MoveToDay(await client.ScheduleAsync(Submissions.Http(Receiver.Url("/old"), DateTimeOffset.UtcNow.AddHours(1))), finishedDay, "COMPLETED");
        await MoveToDay(await client.ScheduleAsync(Submissions.Http(Receiver.Url("/old"), DateTimeOffset.UtcNow.AddHours(1))), pendingDay, "PENDING");
        await MoveToDay(await client.ScheduleAsync(Submissions.Http(Receiver.Url("/old"), DateTimeOffset.UtcNow.AddHours(1))), recentDay, "COMPLETED");

        using var response = await admin.PostAsync("/api/v1/admin/maintenance/run", null);
        var reports = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(MaintenanceTests.Duties, reports.Select(r => r!["duty"]!.GetValue<string>()));
        // Counted over every retention run: exactly these two partitions were dropped, once.
        var dropped = await Database.ScalarAsync<string>("SELECT string_agg(summary, '; ') FROM maintenance_runs WHERE duty = 'retention' AND affected > 0");
        Assert.True(2 == await Database.ScalarAsync<long>("SELECT sum(affected)::bigint FROM maintenance_runs WHERE duty = 'retention'"), dropped);
        Assert.False(await PartitionExists(finishedDay));
        Assert.False(await PartitionExists(emptyDay));
        Assert.True(await PartitionExists(pendingDay), "a partition with a PENDING event was dropped");
        Assert.True(await PartitionExists(recentDay), "a partition inside retention was dropped");
        for (var day = today.AddDays(-1); day <= today.AddDays(14); day = day.AddDays(1))
        {
            Assert.True(await PartitionExists(day), $"no partition for {day}");
        }
    }

    private async Task MoveToDay(Guid id, DateOnly day, string status)
    {
        var at = day.ToDateTime(new TimeOnly(12, 0), DateTimeKind.Utc);
        await Database.ScalarAsync<int>("""
            WITH moved AS (
                UPDATE events SET scheduled_at = $2, due_at = $2, status = $3,
                       completed_at = CASE WHEN $3 = 'COMPLETED' THEN $2 END
                WHERE id = $1 RETURNING 1)
            SELECT count(*)::int FROM moved
            """, id, at, status);
    }

    private Task<bool> PartitionExists(DateOnly day) =>
        Database.ScalarAsync<bool>("SELECT to_regclass($1) IS NOT NULL", $"events_{day:yyyyMMdd}");
}
