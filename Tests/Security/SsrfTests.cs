using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Security;

public sealed class SsrfTests : ClusterTest
{
    protected override IReadOnlyDictionary<string, string?> Overrides => new Dictionary<string, string?>
    {
        ["ORCH_ALLOW_PRIVATE_DESTINATIONS"] = "false",
    };

    public static TheoryData<string, string> RefusedDestinations() => new()
    {
        { "http://127.0.0.1/hook", "loopback" },
        { "http://127.9.9.9:8080/hook", "loopback" },
        { "http://10.1.2.3/hook", "private" },
        { "http://172.16.0.1/hook", "private" },
        { "http://172.31.255.254/hook", "private" },
        { "http://192.168.1.1/hook", "private" },
        { "http://169.254.169.254/latest/meta-data/", "cloud metadata" },
        { "http://169.254.10.10/", "link-local" },
        { "http://[::1]/hook", "loopback" },
        { "http://[fc00::1]/hook", "unique-local" },
        { "http://[fd12:3456::1]/hook", "unique-local" },
        { "http://[::ffff:10.0.0.1]/hook", "private" },
        { "http://0.0.0.0/hook", "unspecified" },
        { "http://224.0.0.1/hook", "multicast" },
        { "http://localhost:8080/hook", "loopback" },
        { "file:///etc/passwd", "http or https" },
        { "gopher://127.0.0.1:70/", "http or https" },
    };

    [Theory]
    [MemberData(nameof(RefusedDestinations))]
    public async Task Internal_destinations_are_refused_at_submission(string destination, string reason)
    {
        using var response = await Client.PostAsJsonAsync("/api/v1/events", Submissions.Http(destination));
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{destination}: {(int)response.StatusCode} {text}");
        var problem = JsonNode.Parse(text)!;
        Assert.Contains(reason, problem["errors"]!["destination"]![0]!.GetValue<string>());
        Assert.Equal(0, await Database.CountEventsAsync());
    }

    [Fact]
    public async Task A_batch_reports_refused_destinations_per_item()
    {
        var events = new JsonArray(
            Submissions.Http("http://93.184.216.34/public", DateTimeOffset.UtcNow.AddHours(1)),
            Submissions.Http("http://10.0.0.7/internal", DateTimeOffset.UtcNow.AddHours(1)));

        using var response = await Client.PostAsJsonAsync("/api/v1/events/batch", new JsonObject { ["events"] = events });
        var result = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(["ACCEPTED", "REJECTED"], result["results"]!.AsArray().Select(r => r!["status"]!.GetValue<string>()));
        Assert.Contains("private", result["results"]![1]!["errors"]!["destination"]![0]!.GetValue<string>());
        Assert.Equal(1, await Database.CountEventsAsync());
    }

    [Fact]
    public async Task A_destination_that_turns_internal_after_submission_is_refused_at_connect_time()
    {
        // As if its host had resolved to a public address when submitted and to loopback now
        // (DNS rebinding): the row is stored directly, past the submission check.
        var id = await Client.ScheduleAsync(Submissions.Http("http://93.184.216.34/rebound", DateTimeOffset.UtcNow.AddHours(1)));
        await Database.ScalarAsync<int>(
            "WITH u AS (UPDATE events SET destination = $2, due_at = now() WHERE id = $1 RETURNING 1) SELECT count(*)::int FROM u",
            id, Receiver.Url("/rebound"));

        var stored = await Client.EventuallyInStatusAsync(id, "DEAD_LETTER");

        Assert.Contains("SSRF", stored["last_error"]!.GetValue<string>());
        Assert.Equal(1, stored["attempts"]!.GetValue<int>());
        Assert.Empty(Receiver.Received());
    }
}

public sealed class SsrfAllowedTests : ClusterTest
{
    [Theory]
    [InlineData("http://127.0.0.1/hook")]
    [InlineData("http://10.1.2.3/hook")]
    [InlineData("http://172.16.0.1/hook")]
    [InlineData("http://192.168.1.1/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://[::1]/hook")]
    [InlineData("http://[fc00::1]/hook")]
    [InlineData("http://localhost:8080/hook")]
    public async Task With_private_destinations_allowed_they_are_accepted(string destination)
    {
        Assert.NotEqual(Guid.Empty, await Client.ScheduleAsync(Submissions.Http(destination, DateTimeOffset.UtcNow.AddHours(1))));
    }

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("gopher://127.0.0.1:70/")]
    public async Task Other_schemes_stay_refused(string destination)
    {
        using var response = await Client.PostAsJsonAsync("/api/v1/events", Submissions.Http(destination));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}

public sealed class SsrfAllowlistTests : ClusterTest
{
    protected override IReadOnlyDictionary<string, string?> Overrides => new Dictionary<string, string?>
    {
        ["ORCH_ALLOW_PRIVATE_DESTINATIONS"] = "false",
        ["ORCH_DESTINATION_ALLOWLIST"] = "127.0.0.0/8",
    };

    [Fact]
    public async Task An_allowlisted_range_is_delivered_to_while_others_stay_refused()
    {
        var id = await Client.ScheduleAsync(Submissions.Http(Receiver.Url("/allowed")));
        using var refused = await Client.PostAsJsonAsync("/api/v1/events", Submissions.Http("http://10.0.0.1/no"));

        await Client.EventuallyInStatusAsync(id, "COMPLETED");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
    }
}
