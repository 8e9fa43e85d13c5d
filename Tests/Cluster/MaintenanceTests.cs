using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Orchestrator.Silo.Hosting;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Cluster;

public sealed class MaintenanceTests(Xunit.Abstractions.ITestOutputHelper output) : ClusterTest
{
    protected override IReadOnlyDictionary<string, string?> Overrides => new Dictionary<string, string?>
    {
        // Short enough to see several periods in a test, long enough that a loaded machine
        // does not stall the leader for a whole period.
        ["ORCH_STATISTICS_REFRESH_MS"] = "1000",
        ["ORCH_LEASE_RECOVERY_INTERVAL_MS"] = "1000",
        ["ORCH_PARTITION_INTERVAL_MS"] = "1000",
        ["ORCH_RETENTION_INTERVAL_MS"] = "1000",
        ["ORCH_IDEMPOTENCY_PURGE_INTERVAL_MS"] = "1000",
    };

    protected override bool StartsAllInOneNode => false;

    internal static readonly string[] Duties =
        ["claim_recovery", "partition_creation", "retention", "idempotency_key_purge", "statistics_refresh"];

    [Fact]
    public async Task Each_duty_runs_exactly_once_per_period_across_three_silos()
    {
        var silos = new[] { await Cluster.StartSiloAsync(), await Cluster.StartSiloAsync(), await Cluster.StartSiloAsync() };

        await Eventually.TrueAsync(async () =>
            await Database.ScalarAsync<long>("SELECT count(*) FROM maintenance_runs WHERE duty = 'statistics_refresh' AND finished_at IS NOT NULL") >= 5,
            "five statistics periods");

        await using var command = Database.DataSource.CreateCommand("""
            SELECT duty, count(*), count(DISTINCT period), max(period) - min(period) + 1, count(DISTINCT silo_id)
            FROM maintenance_runs WHERE period IS NOT NULL AND finished_at IS NOT NULL
            GROUP BY duty
            """);
        var seen = new HashSet<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var duty = reader.GetString(0);
                seen.Add(duty);
                Assert.True(reader.GetInt64(1) == reader.GetInt64(2), $"{duty}: a period ran twice");
                Assert.True(reader.GetInt64(1) == reader.GetInt64(3), $"{duty}: {reader.GetInt64(1)} runs over {reader.GetInt64(3)} periods");
                Assert.True(reader.GetInt64(4) == 1, $"{duty} ran on {reader.GetInt64(4)} silos without a failover");
            }
        }
        Assert.Equal(Duties.Order(), seen.Order());
        var leader = await Database.ScalarAsync<Guid>("SELECT holder FROM cluster_leases WHERE name = 'maintenance'");
        Assert.Contains(leader, silos.Select(s => s.Services.GetRequiredService<SiloIdentity>().Id));
    }

    [Fact]
    public async Task Killing_the_leader_hands_the_lease_over_within_one_lease_period_and_no_period_runs_twice()
    {
        await using var doomed = SiloProcess.Start(Cluster.Settings);
        var doomedId = await Eventually.ReturnsAsync(LeaderOrNullAsync, holder => holder is not null,
            "the first silo to lead", TimeSpan.FromSeconds(60));
        var survivors = new[] { await Cluster.StartSiloAsync(), await Cluster.StartSiloAsync() };
        var survivorIds = survivors.Select(s => s.Services.GetRequiredService<SiloIdentity>().Id).ToHashSet();
        Assert.Equal(doomedId, await Database.ScalarAsync<Guid>("SELECT holder FROM cluster_leases WHERE name = 'maintenance'"));

        doomed.Kill();
        var killedAt = DateTimeOffset.UtcNow;
        var newLeader = await Eventually.ReturnsAsync(
            () => Database.ScalarAsync<Guid>("SELECT holder FROM cluster_leases WHERE name = 'maintenance'"),
            holder => survivorIds.Contains(holder), "a survivor to take the lease", TimeSpan.FromSeconds(20));
        var handover = DateTimeOffset.UtcNow - killedAt;
        output.WriteLine($"maintenance lease handed over {handover.TotalMilliseconds:0} ms after the leader was killed (lease 2000 ms)");
        // Lease 2 s; the probe polls every 250 ms at most.
        Assert.True(handover < TimeSpan.FromSeconds(2.5), $"handover took {handover}");

        await Eventually.TrueAsync(async () =>
            await Database.ScalarAsync<long>("SELECT count(*) FROM maintenance_runs WHERE silo_id = $1 AND finished_at IS NOT NULL", (object)newLeader) >= 5,
            "the new leader to run its duties");
        var overlaps = await Database.ScalarAsync<long>("""
            SELECT count(*) FROM maintenance_runs old JOIN maintenance_runs new USING (duty)
            WHERE old.silo_id = $1 AND new.silo_id = $2 AND new.period <= old.period
            """, (object)doomedId!, newLeader);
        Assert.Equal(0, overlaps);
        Assert.Equal(0, await Database.ScalarAsync<long>(
            "SELECT count(*) FROM (SELECT duty, period FROM maintenance_runs WHERE period IS NOT NULL GROUP BY 1, 2 HAVING count(*) > 1) d"));
    }

    [Fact]
    public async Task Admin_endpoints_refuse_missing_and_wrong_credentials()
    {
        var silo = await Cluster.StartSiloAsync(withApi: true);
        using var anonymous = new HttpClient { BaseAddress = silo.BaseAddress };
        using var tenant = Cluster.Client(silo);
        using var wrong = new HttpClient { BaseAddress = silo.BaseAddress };
        wrong.DefaultRequestHeaders.Add("X-Admin-Key", "not-the-key");

        foreach (var client in new[] { anonymous, tenant, wrong })
        {
            using var run = await client.PostAsync("/api/v1/admin/maintenance/run", null);
            using var view = await client.GetAsync("/api/v1/admin/cluster");
            Assert.Equal(HttpStatusCode.Unauthorized, run.StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, view.StatusCode);
        }
        Assert.Equal(0, await Database.ScalarAsync<long>("SELECT count(*) FROM maintenance_runs WHERE period IS NULL"));
    }

    [Fact]
    public async Task The_cluster_view_shows_silos_the_leader_and_last_runs()
    {
        var first = await Cluster.StartSiloAsync(withApi: true);
        var second = await Cluster.StartSiloAsync();
        using var admin = Cluster.AdminClient(first);
        var ids = new[] { first, second }.Select(s => s.Services.GetRequiredService<SiloIdentity>().Id.ToString()).ToHashSet();

        var view = await Eventually.ReturnsAsync(() => admin.GetFromJsonAsync<JsonObject>("/api/v1/admin/cluster"),
            v => v!["last_runs"]!.AsArray().Count == Duties.Length && v["leader"] is not null, "a full cluster view");

        var silos = view["silos"]!.AsArray();
        Assert.Equal(ids.Order(), silos.Select(s => s!["id"]!.GetValue<string>()).Order());
        Assert.All(silos, s => Assert.Equal("ALIVE", s!["status"]!.GetValue<string>()));
        Assert.Contains(view["leader"]!["silo_id"]!.GetValue<string>(), ids);
    }

    [Fact]
    public async Task A_silo_stopped_gracefully_is_marked_stopped_and_gives_up_the_lease()
    {
        var first = await Cluster.StartSiloAsync();
        var firstId = first.Services.GetRequiredService<SiloIdentity>().Id;
        await Eventually.TrueAsync(async () =>
            await Database.ScalarAsync<Guid?>("SELECT holder FROM cluster_leases WHERE name = 'maintenance'") == firstId, "the first silo to lead");
        var second = await Cluster.StartSiloAsync();
        var secondId = second.Services.GetRequiredService<SiloIdentity>().Id;

        await Cluster.StopAsync(first);

        Assert.Equal("STOPPED", await Database.ScalarAsync<string>("SELECT status FROM silos WHERE id = $1", firstId));
        Assert.True(await Database.ScalarAsync<bool>("SELECT expires_at < now() OR holder <> $1 FROM cluster_leases WHERE name = 'maintenance'", firstId));
        await Eventually.TrueAsync(async () =>
            await Database.ScalarAsync<Guid?>("SELECT holder FROM cluster_leases WHERE name = 'maintenance'") == secondId, "the second silo to lead");
    }

    /// <summary>The maintenance lease holder, or null while there is none (or no schema yet).</summary>
    private async Task<Guid?> LeaderOrNullAsync()
    {
        try
        {
            return await Database.ScalarAsync<Guid?>("SELECT holder FROM cluster_leases WHERE name = 'maintenance'");
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return null;
        }
    }
}
