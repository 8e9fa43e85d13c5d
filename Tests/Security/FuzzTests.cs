using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Orchestrator.Tests.Security;

/// <summary>
/// Thousands of generated malformed submissions (a fixed seed, so a failure reproduces):
/// every one must get a 4xx, none a 5xx, nothing may be stored, and the node stays healthy.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output) : ClusterTest
{
    private const int Requests = 5_000;

    protected override IReadOnlyDictionary<string, string?> Overrides => new Dictionary<string, string?>
    {
        ["ORCH_TENANT_RATE_LIMIT_PER_SECOND"] = "1000000",
        ["ORCH_TENANT_RATE_LIMIT_BURST"] = "1000000",
    };

    [Fact]
    public async Task Five_thousand_malformed_requests_get_4xx_store_nothing_and_leave_the_node_healthy()
    {
        var random = new Random(20261121);
        var requests = Enumerable.Range(0, Requests).Select(_ => Malformed(random)).ToList();
        var statuses = new int[Requests];
        using var throttle = new SemaphoreSlim(16);

        await Task.WhenAll(requests.Select(async (request, i) =>
        {
            await throttle.WaitAsync();
            try
            {
                using var message = new HttpRequestMessage(HttpMethod.Post, request.Path) { Content = new ByteArrayContent(request.Body) };
                if (request.ContentType is { } contentType)
                {
                    message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
                }
                using var response = await Client.SendAsync(message);
                statuses[i] = (int)response.StatusCode;
            }
            finally
            {
                throttle.Release();
            }
        }));

        var histogram = statuses.GroupBy(s => s).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}");
        output.WriteLine($"{Requests} malformed requests: {string.Join(", ", histogram)}");
        var failures = statuses.Select((s, i) => (s, i)).Where(x => x.s is < 400 or >= 500).Take(5)
            .Select(x => $"{x.s} for {requests[x.i].Kind}: {Encoding.UTF8.GetString(requests[x.i].Body.Take(300).ToArray())}");
        Assert.True(!failures.Any(), string.Join("\n", failures));
        Assert.Equal(0, await Database.CountEventsAsync());
        using var anonymous = new HttpClient { BaseAddress = Node.BaseAddress };
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/ready")).StatusCode);
        await Client.ScheduleAsync(Submissions.Http(Receiver.Url("/still-fine"), DateTimeOffset.UtcNow.AddHours(1)));
    }

    private sealed record FuzzRequest(string Kind, string Path, byte[] Body, string? ContentType = "application/json");

    private static readonly string[] Required = ["external_job_id", "source", "scheduled_at", "delivery_type", "destination", "payload"];
    private static readonly string[] Tricks =
    [
        "\u202Eevil", "a\u200Db", "😀😀", "e\u0301\u0301\u0301", "\uFEFF", "ｆｕｌｌｗｉｄｔｈ", "\u0000", "\u001b[31m", "line\nbreak",
        "<script>alert(1)</script>", "'; DROP TABLE events; --", "${jndi:ldap://x}", "../../etc/passwd", "%00", "\\u0000",
    ];

    private static FuzzRequest Malformed(Random random)
    {
        var body = Submissions.Http("http://127.0.0.1:9/fuzz", DateTimeOffset.UtcNow.AddHours(1));
        if (random.Next(8) == 0)
        {
            body[Pick(random, ["external_job_id", "source"])] = Pick(random, Tricks) + Pick(random, Tricks); // noise, maybe valid
        }
        var kind = random.Next(12);
        switch (kind)
        {
            case 0:
                body.Remove(Pick(random, Required));
                break;
            case 1:
            {
                // Any JSON is a valid payload, so the payload can only be broken by null.
                var field = Pick(random, Required);
                body[field] = field == "payload"
                    ? null
                    : Pick<JsonNode?>(random, [null, 42, 1.5, true, new JsonArray(1, 2), new JsonObject { ["x"] = 1 }])?.DeepClone();
                break;
            }
            case 2:
                body["scheduled_at"] = Pick(random, ["", "2026-13-01T00:00:00Z", "2026-02-30T10:00:00Z", "yesterday", "1970-01-01T00:00:00Z",
                    "9999-12-31T23:59:59Z", "2026-11-21T25:61:00Z", "2026-11-21", "2026-11-21T10:00:00", "+275760-09-13T00:00:00Z", "0", Pick(random, Tricks)]);
                break;
            case 3:
                body[Pick(random, ["external_job_id", "source", "idempotency_key"])] = string.Concat(Enumerable.Repeat(Pick(random, ["a", "é", "😀"]), 300 + random.Next(50_000)));
                break;
            case 4:
                body["destination"] = Pick(random, ["", "not a url", "ftp://x/", "file:///etc/passwd", "gopher://x/", "http://", "//no-scheme", "javascript:alert(1)",
                    "http://user:pw@example.com/", "http://exa mple.com/", "http://" + new string('a', 3000) + ".com/"]);
                break;
            case 5:
                body["max_retries"] = Pick<JsonNode>(random, ["3", -1, 1_000_000, 1.5, 2147483648L, new JsonArray(), true]).DeepClone();
                break;
            case 6:
                body["headers"] = Pick<JsonNode>(random,
                [
                    "X-A: 1", new JsonArray("a"), new JsonObject { ["Host"] = "evil" }, new JsonObject { ["X-A"] = "a\r\nX-B: 1" },
                    new JsonObject { ["Bad Name"] = "x" }, new JsonObject { ["X-A"] = 5 }, new JsonObject { ["webhook-signature"] = "v1,forged" },
                    new JsonObject { ["X-Long"] = new string('v', 5000) }, new JsonObject { ["X-Uni"] = "héllo" },
                ]).DeepClone();
                break;
            case 7:
                body["payload"] = new string('p', 300 * 1024);
                break;
            case 8:
                body["delivery_type"] = Pick(random, ["SMTP", "", "http ", "KAFKA", Pick(random, Tricks)]);
                break;
            case 9:
            {
                var depth = 65 + random.Next(500);
                var text = body.ToJsonString().Replace("\"payload\":{", "\"payload\":" + new string('[', depth) + new string(']', depth) + ",\"x\":{");
                return new FuzzRequest("deep", "/api/v1/events", Encoding.UTF8.GetBytes(text));
            }
            case 10:
                return RawMutation(random, body.ToJsonString());
            default:
            {
                var items = new JsonArray();
                for (var i = 0; i < 1 + random.Next(5); i++)
                {
                    var item = Submissions.Http("nope", DateTimeOffset.UtcNow.AddHours(1));
                    item.Remove(Pick(random, Required));
                    items.Add(item);
                }
                JsonNode batch = random.Next(4) switch
                {
                    0 => new JsonObject { ["events"] = new JsonArray() },
                    1 => new JsonObject { ["events"] = "many" },
                    2 => new JsonArray(items.DeepClone()),
                    _ => new JsonObject { ["events"] = items },
                };
                return new FuzzRequest("batch", "/api/v1/events/batch", Encoding.UTF8.GetBytes(batch.ToJsonString()));
            }
        }
        return new FuzzRequest($"field {kind}", "/api/v1/events", Encoding.UTF8.GetBytes(body.ToJsonString()));
    }

    private static FuzzRequest RawMutation(Random random, string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json).ToList();
        switch (random.Next(8))
        {
            case 0:
                return new FuzzRequest("truncated", "/api/v1/events", bytes.Take(random.Next(1, bytes.Count - 1)).ToArray());
            case 1:
                bytes.InsertRange(random.Next(1, bytes.Count - 1), Pick<byte[]>(random, [[0xFF], [0xC3, 0x28], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x80]]));
                return new FuzzRequest("invalid UTF-8", "/api/v1/events", bytes.ToArray());
            case 2:
                var noise = new byte[1 + random.Next(2000)];
                random.NextBytes(noise);
                return new FuzzRequest("random bytes", "/api/v1/events", noise);
            case 3:
                return new FuzzRequest("comments", "/api/v1/events", Encoding.UTF8.GetBytes("// hi\n" + json));
            case 4:
                return new FuzzRequest("trailing comma", "/api/v1/events", Encoding.UTF8.GetBytes(json[..^1] + ",}"));
            case 5:
                return new FuzzRequest("NaN", "/api/v1/events", Encoding.UTF8.GetBytes(json.Replace("\"order\":42", "\"order\":NaN")));
            case 6:
                return new FuzzRequest("text/plain", "/api/v1/events", bytes.ToArray(), "text/plain");
            default:
                return new FuzzRequest("escaped lone surrogate", "/api/v1/events", Encoding.UTF8.GetBytes(json.Replace("\"external_job_id\":\"", "\"external_job_id\":\"\\ud800")));
        }
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> options) => options[random.Next(options.Count)];
}
