using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Api;

public sealed class ValidationTests : ClusterTest
{
    private static string Valid(Action<JsonObject> change)
    {
        var body = Submissions.Http("http://127.0.0.1:9/hook", DateTimeOffset.UtcNow.AddMinutes(5));
        change(body);
        return body.ToJsonString();
    }

    public static TheoryData<string, string, string> MalformedBodies() => new()
    {
        // name, body, what the problem must mention (a field name or a phrase)
        { "truncated JSON", """{"external_job_id": """, "Malformed JSON" },
        { "trailing garbage", Valid(_ => { }) + "}", "Malformed JSON" },
        { "array instead of object", "[1,2,3]", "must be a JSON object" },
        { "bare string", "\"event\"", "must be a JSON object" },
        { "null", "null", "must be a JSON object" },
        { "missing external_job_id", Valid(b => b.Remove("external_job_id")), "external_job_id" },
        { "missing source", Valid(b => b.Remove("source")), "source" },
        { "missing scheduled_at", Valid(b => b.Remove("scheduled_at")), "scheduled_at" },
        { "missing delivery_type", Valid(b => b.Remove("delivery_type")), "delivery_type" },
        { "missing destination", Valid(b => b.Remove("destination")), "destination" },
        { "missing payload", Valid(b => b.Remove("payload")), "payload" },
        { "null payload", Valid(b => b["payload"] = null), "payload" },
        { "numeric external_job_id", Valid(b => b["external_job_id"] = 123), "external_job_id" },
        { "empty external_job_id", Valid(b => b["external_job_id"] = ""), "external_job_id" },
        { "control character in source", Valid(b => b["source"] = "a\u0000b"), "source" },
        { "numeric scheduled_at", Valid(b => b["scheduled_at"] = 1700000000), "scheduled_at" },
        { "string max_retries", Valid(b => b["max_retries"] = "three"), "max_retries" },
        { "fractional max_retries", Valid(b => b["max_retries"] = 1.5), "max_retries" },
        { "negative max_retries", Valid(b => b["max_retries"] = -1), "max_retries" },
        { "huge max_retries", Valid(b => b["max_retries"] = 1_000_000), "max_retries" },
        { "headers not an object", Valid(b => b["headers"] = "X-A: 1"), "headers" },
        { "header value not a string", Valid(b => b["headers"] = new JsonObject { ["X-A"] = 1 }), "headers.X-A" },
        { "header overriding Host", Valid(b => b["headers"] = new JsonObject { ["Host"] = "evil" }), "headers.Host" },
        { "header overriding Content-Length", Valid(b => b["headers"] = new JsonObject { ["Content-Length"] = "1" }), "headers.Content-Length" },
        { "header overriding Idempotency-Key", Valid(b => b["headers"] = new JsonObject { ["Idempotency-Key"] = "x" }), "headers.Idempotency-Key" },
        { "header name with a space", Valid(b => b["headers"] = new JsonObject { ["Bad Name"] = "x" }), "headers.Bad Name" },
        { "header value with CRLF", Valid(b => b["headers"] = new JsonObject { ["X-A"] = "a\r\nX-Injected: 1" }), "headers.X-A" },
        { "huge external_job_id", Valid(b => b["external_job_id"] = new string('j', 10_000)), "external_job_id" },
        { "huge destination", Valid(b => b["destination"] = "http://example.com/" + new string('p', 5_000)), "destination" },
        { "huge payload", Valid(b => b["payload"] = new string('x', 300 * 1024)), "payload" },
        { "date far in the past", Valid(b => b["scheduled_at"] = "2020-01-01T00:00:00Z"), "scheduled_at" },
        { "date absurdly far ahead", Valid(b => b["scheduled_at"] = "9999-12-31T23:59:59Z"), "scheduled_at" },
        { "impossible date", Valid(b => b["scheduled_at"] = "2026-02-30T10:00:00Z"), "scheduled_at" },
        { "date without time", Valid(b => b["scheduled_at"] = "2026-12-01"), "scheduled_at" },
        { "date without offset", Valid(b => b["scheduled_at"] = "2026-12-01T10:00:00"), "scheduled_at" },
        { "words for a date", Valid(b => b["scheduled_at"] = "tomorrow"), "scheduled_at" },
        { "unknown delivery type", Valid(b => b["delivery_type"] = "SMTP"), "delivery_type" },
        { "not a URL", Valid(b => b["destination"] = "not a url"), "destination" },
        { "relative URL", Valid(b => b["destination"] = "/hook"), "destination" },
        { "ftp URL", Valid(b => b["destination"] = "ftp://example.com/x"), "destination" },
        { "file URL", Valid(b => b["destination"] = "file:///etc/passwd"), "destination" },
        { "gopher URL", Valid(b => b["destination"] = "gopher://example.com/"), "destination" },
        { "URL with credentials", Valid(b => b["destination"] = "http://user:pw@example.com/"), "destination" },
        { "nested 200 deep", Valid(b => b["payload"] = "DEEP").Replace("\"DEEP\"", new string('[', 200) + new string(']', 200)), "Malformed JSON" },
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task Malformed_submissions_get_a_400_problem_and_store_nothing(string name, string body, string mentions)
    {
        using var response = await Client.PostAsync("/api/v1/events", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{name}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(400, JsonNode.Parse(text)!["status"]!.GetValue<int>());
        Assert.Contains(mentions, text);
        Assert.Equal(0, await Database.CountEventsAsync());
    }

    [Fact]
    public async Task Invalid_UTF8_is_a_400()
    {
        var bytes = Encoding.UTF8.GetBytes(Valid(_ => { })).ToList();
        bytes.InsertRange(bytes.IndexOf((byte)'t'), new byte[] { 0xC3, 0x28, 0xFF });
        using var content = new ByteArrayContent(bytes.ToArray());
        content.Headers.ContentType = new("application/json");

        using var response = await Client.PostAsync("/api/v1/events", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await Database.CountEventsAsync());
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_is_refused_as_unsupported()
    {
        using var response = await Client.PostAsync("/api/v1/events", new StringContent("hello", Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task An_empty_body_is_a_400()
    {
        using var response = await Client.PostAsync("/api/v1/events", new StringContent("", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_a_413()
    {
        var body = Valid(b => b["payload"] = new string('x', 17 * 1024 * 1024));
        using var response = await Client.PostAsync("/api/v1/events/batch", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, await Database.CountEventsAsync());
    }

    [Fact]
    public async Task Every_bad_field_is_named_at_once()
    {
        var body = Valid(b =>
        {
            b.Remove("source");
            b["max_retries"] = "x";
            b["destination"] = "nope";
        });
        using var response = await Client.PostAsync("/api/v1/events", new StringContent(body, Encoding.UTF8, "application/json"));
        var errors = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!.AsObject();

        Assert.Equal(["destination", "max_retries", "source"], errors.Select(e => e.Key).Order());
    }
}
