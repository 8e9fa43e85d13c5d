using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Observability;

public sealed partial class MetricsTests : ClusterTest
{
    [Fact]
    public async Task Metrics_parse_as_Prometheus_text_and_count_what_happened()
    {
        Receiver.Script("/flaky", new Reply(503));
        Receiver.Script("/reject", new Reply(400));
        var completed = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            completed.Add(await Client.ScheduleAsync(Submissions.Http(Receiver.Url("/ok"))));
        }
        completed.Add(await Client.ScheduleAsync(Submissions.Http(Receiver.Url("/flaky"))));
        var rejected = await Client.ScheduleAsync(Submissions.Http(Receiver.Url("/reject")));
        foreach (var id in completed)
        {
            await Client.EventuallyInStatusAsync(id, "COMPLETED");
        }
        await Client.EventuallyInStatusAsync(rejected, "DEAD_LETTER");

        using var anonymous = new HttpClient { BaseAddress = Node.BaseAddress };
        var samples = await Eventually.ReturnsAsync(async () => Parse(await anonymous.GetStringAsync("/metrics")),
            s => s!.GetValueOrDefault("orchestrator_events{status=\"COMPLETED\"}") == 4, "the status gauge to catch up");

        Assert.Equal(5, samples["orchestrator_events_received_total"]);
        Assert.Equal(5, samples["orchestrator_events_persisted_total"]);
        Assert.Equal(6, samples["orchestrator_events_fired_total"]);
        Assert.Equal(4, samples["orchestrator_events_delivered_total"]);
        Assert.Equal(2, samples["orchestrator_events_failed_total"]);
        Assert.Equal(1, samples["orchestrator_events_retried_total"]);
        Assert.Equal(1, samples["orchestrator_events_dead_lettered_total"]);
        Assert.Equal(6, samples["orchestrator_firing_lag_seconds_count"]);
        Assert.Equal(6, samples["orchestrator_delivery_latency_seconds_count"]);
        Assert.Equal(1, samples["orchestrator_events{status=\"DEAD_LETTER\"}"]);
        Assert.Equal(0, samples["orchestrator_deliveries_in_flight"]);
    }

    /// <summary>
    /// Reads Prometheus text format 0.0.4 strictly: every line a HELP, a TYPE or a sample of a
    /// declared family; histogram buckets cumulative and ending in +Inf = _count.
    /// </summary>
    private static Dictionary<string, double> Parse(string text)
    {
        var types = new Dictionary<string, string>();
        var samples = new Dictionary<string, double>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                continue;
            }
            if (TypeLine().Match(line) is { Success: true } type)
            {
                types[type.Groups[1].Value] = type.Groups[2].Value;
                continue;
            }
            var sample = SampleLine().Match(line);
            Assert.True(sample.Success, $"not a Prometheus sample: {line}");
            var name = sample.Groups[1].Value;
            var family = types.Keys.FirstOrDefault(f => name == f || (types[f] == "histogram" && (name == f + "_bucket" || name == f + "_sum" || name == f + "_count")));
            Assert.True(family is not null, $"{name} has no TYPE line before it");
            samples[name + sample.Groups[2].Value] = double.Parse(sample.Groups[3].Value, CultureInfo.InvariantCulture);
        }
        foreach (var histogram in types.Where(t => t.Value == "histogram").Select(t => t.Key))
        {
            var buckets = samples.Where(s => s.Key.StartsWith(histogram + "_bucket{le=", StringComparison.Ordinal)).Select(s => s.Value).ToList();
            Assert.Equal(buckets.Order(), buckets);
            Assert.Equal(samples[histogram + "_count"], samples[histogram + "_bucket{le=\"+Inf\"}"]);
        }
        return samples;
    }

    [GeneratedRegex(@"^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$")]
    private static partial Regex TypeLine();

    [GeneratedRegex("""^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*")*\})? (-?[0-9.]+(?:[eE][-+]?[0-9]+)?|NaN|\+Inf|-Inf)$""")]
    private static partial Regex SampleLine();
}

public sealed class RestrictedMetricsTests : ClusterTest
{
    protected override IReadOnlyDictionary<string, string?> Overrides => new Dictionary<string, string?>
    {
        ["ORCH_METRICS_REQUIRE_ADMIN"] = "true",
    };

    [Fact]
    public async Task Metrics_can_be_restricted_to_admins()
    {
        using var anonymous = new HttpClient { BaseAddress = Node.BaseAddress };
        using var admin = Cluster.AdminClient(Node);

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Client.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/metrics")).StatusCode);
    }
}
