using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Orchestrator.Tests.Infrastructure;

/// <summary>Builds event submissions as JSON objects, so tests can also break them field by field.</summary>
public static class Submissions
{
    public static JsonObject Http(string destination, DateTimeOffset? at = null, string? externalJobId = null, int? maxRetries = null)
    {
        var body = new JsonObject
        {
            ["external_job_id"] = externalJobId ?? $"job-{Guid.NewGuid():N}",
            ["source"] = "tests",
            ["scheduled_at"] = (at ?? DateTimeOffset.UtcNow).ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'"),
            ["delivery_type"] = "HTTP",
            ["destination"] = destination,
            ["payload"] = new JsonObject { ["order"] = 42, ["note"] = "héllo ✓" },
        };
        if (maxRetries is { } retries)
        {
            body["max_retries"] = retries;
        }
        return body;
    }

    public static async Task<Guid> ScheduleAsync(this HttpClient client, JsonObject body)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/events", body);
        var text = await response.Content.ReadAsStringAsync();
        if ((int)response.StatusCode != 202)
        {
            throw new InvalidOperationException($"Expected 202, got {(int)response.StatusCode}: {text}");
        }
        return Guid.Parse(JsonNode.Parse(text)!["id"]!.GetValue<string>());
    }

    public static async Task<JsonNode?> GetEventAsync(this HttpClient client, Guid id)
    {
        using var response = await client.GetAsync($"/api/v1/events/{id}");
        return response.IsSuccessStatusCode ? JsonNode.Parse(await response.Content.ReadAsStringAsync()) : null;
    }

    public static async Task<string?> StatusOfAsync(this HttpClient client, Guid id) =>
        (await client.GetEventAsync(id))?["status"]?.GetValue<string>();

    public static Task<JsonNode> EventuallyInStatusAsync(this HttpClient client, Guid id, string status, TimeSpan? timeout = null) =>
        Eventually.ReturnsAsync(() => client.GetEventAsync(id), e => e?["status"]?.GetValue<string>() == status,
            $"event {id} to be {status}", timeout);
}

public static class BatchSubmissions
{
    /// <summary>Schedules the events in one batch call; every one must be accepted.</summary>
    public static async Task<IReadOnlyList<Guid>> ScheduleBatchAsync(this HttpClient client, IEnumerable<JsonObject> events)
    {
        var array = new JsonArray(events.Select(e => (JsonNode)e).ToArray());
        using var response = await client.PostAsJsonAsync("/api/v1/events/batch", new JsonObject { ["events"] = array });
        var text = await response.Content.ReadAsStringAsync();
        if ((int)response.StatusCode != 202)
        {
            throw new InvalidOperationException($"Expected 202, got {(int)response.StatusCode}: {text}");
        }
        var results = JsonNode.Parse(text)!["results"]!.AsArray();
        if (results.Any(r => r!["status"]!.GetValue<string>() != "ACCEPTED"))
        {
            throw new InvalidOperationException($"Not every event was accepted: {text}");
        }
        return results.Select(r => Guid.Parse(r!["id"]!.GetValue<string>())).ToList();
    }
}
