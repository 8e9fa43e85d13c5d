using System.Net;
using System.Text;
using System.Text.Json;

namespace Orchestrator.Bench.Load;

/// <summary>
/// Submits numbered events through the batch endpoint, 1,000 a call, from several clients at
/// once, as fast as the product accepts them (backing off on 429/503).
/// </summary>
public sealed class EventLoad(HttpClient client, int clients)
{
    public const int BatchSize = 1000;

    /// <summary>Submits events first … first+count-1; each gets a destination and a due time.</summary>
    public async Task SubmitAsync(int first, int count, Func<int, (Uri Destination, DateTimeOffset Due)> plan, Action<int> accepted, CancellationToken cancellationToken)
    {
        var next = first;
        var end = first + count;
        async Task Client()
        {
            while (true)
            {
                var start = Interlocked.Add(ref next, BatchSize) - BatchSize;
                if (start >= end)
                {
                    return;
                }
                var size = Math.Min(BatchSize, end - start);
                var body = Batch(start, size, plan);
                while (true)
                {
                    using var content = new ByteArrayContent(body);
                    content.Headers.ContentType = new("application/json");
                    using var response = await client.PostAsync("/api/v1/events/batch", content, cancellationToken);
                    if (response.StatusCode == HttpStatusCode.Accepted)
                    {
                        break;
                    }
                    if (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)
                    {
                        await Task.Delay(100, cancellationToken);
                        continue;
                    }
                    throw new InvalidOperationException($"batch refused: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
                }
                accepted(size);
            }
        }
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Client()));
    }

    private static byte[] Batch(int first, int size, Func<int, (Uri Destination, DateTimeOffset Due)> plan)
    {
        using var buffer = new MemoryStream(size * 300);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("events");
            for (var n = first; n < first + size; n++)
            {
                var (destination, due) = plan(n);
                json.WriteStartObject();
                json.WriteString("external_job_id", $"bench-{n}");
                json.WriteString("source", $"bench-{n % 16}");
                json.WriteString("scheduled_at", due.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'"));
                json.WriteString("delivery_type", "HTTP");
                json.WriteString("destination", destination.ToString());
                json.WriteStartObject("payload");
                json.WriteNumber("n", n);
                json.WriteNumber("due", due.ToUnixTimeMilliseconds());
                json.WriteString("note", "a benchmark event with a payload of a realistic few hundred bytes, like an invoice reminder");
                json.WriteEndObject();
                json.WriteNumber("max_retries", 3);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
