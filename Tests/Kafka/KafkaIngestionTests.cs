using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Orchestrator.Grains.Events;
using Orchestrator.Grains.Ingestion;
using Orchestrator.Grains.Ingestion.Kafka;
using Orchestrator.Silo.Ingestion;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Kafka;

public sealed class KafkaIngestionTests : KafkaTest
{
    [Fact]
    public async Task An_event_goes_from_REST_through_Kafka_and_Postgres_to_its_webhook()
    {
        var id = await Client.ScheduleAsync(Submissions.Http(Receiver.Url("/kafka-path")));

        var stored = await Client.EventuallyInStatusAsync(id, "COMPLETED");

        Assert.Equal(id, Receiver.Received("/kafka-path").Single().EventId);
        Assert.Equal(1, stored["attempts"]!.GetValue<int>());
        Assert.True(Node.Services.GetRequiredService<IngestionConsumer>().Persisted >= 1);
        var published = ReadMessages(IngestionTopic, 1).Single();
        Assert.Equal($"{TestCluster.TenantA}/tests", published.Message.Key);
    }

    [Fact]
    public async Task A_KAFKA_event_is_produced_to_its_topic_keyed_by_the_job_with_the_event_id()
    {
        Kafka.CreateTopic("orders.out", 2);
        var body = Submissions.Http("orders.out", externalJobId: "order-77");
        body["delivery_type"] = "KAFKA";
        body["payload"] = JsonNode.Parse("""{"order":77,"state":"ship"}""");

        var id = await Client.ScheduleAsync(body);
        await Client.EventuallyInStatusAsync(id, "COMPLETED");

        var message = ReadMessages("orders.out", 1).Single();
        Assert.Equal("order-77", message.Message.Key);
        Assert.True(JsonNode.DeepEquals(body["payload"], JsonNode.Parse(message.Message.Value!)));
        Assert.Equal(id.ToString(), Encoding.UTF8.GetString(message.Message.Headers.GetLastBytes("orchestrator-event-id")));
    }

    [Fact]
    public async Task Poison_messages_go_to_the_dead_letter_topic_and_valid_ones_behind_them_still_arrive()
    {
        var valid = Event();
        using (var producer = Producer())
        {
            // One partition, so the valid message sits behind both poison messages.
            await producer.ProduceAsync(new TopicPartition(IngestionTopic, 0), new Message<string?, byte[]> { Key = "k", Value = [0xFF, 0xFE, 0x00, 0x7B] });
            var badId = Encoding.UTF8.GetString(IngestionMessage.Serialize(TestCluster.TenantA, Event()));
            badId = System.Text.RegularExpressions.Regex.Replace(badId, "\"id\":\"[^\"]+\"", "\"id\":\"not-a-uuid\"");
            await producer.ProduceAsync(new TopicPartition(IngestionTopic, 0), new Message<string?, byte[]> { Key = "k", Value = Encoding.UTF8.GetBytes(badId) });
            await producer.ProduceAsync(new TopicPartition(IngestionTopic, 0), new Message<string?, byte[]> { Key = "k", Value = IngestionMessage.Serialize(TestCluster.TenantA, valid) });
        }

        await Client.EventuallyInStatusAsync(valid.Id, "COMPLETED");

        var dead = ReadMessages(DeadLetterTopic, 2);
        Assert.Equal(2, dead.Count);
        Assert.Equal([0xFF, 0xFE, 0x00, 0x7B], dead[0].Message.Value);
        Assert.Equal("not valid UTF-8 JSON", Encoding.UTF8.GetString(dead[0].Message.Headers.GetLastBytes(IngestionConsumer.ReasonHeader)));
        Assert.Contains("id is not a UUID", Encoding.UTF8.GetString(dead[1].Message.Headers.GetLastBytes(IngestionConsumer.ReasonHeader)));

        using var admin = Cluster.AdminClient(Node);
        var failures = await admin.GetFromJsonAsync<JsonObject>("/api/v1/admin/ingestion-failures");
        Assert.Equal(2, failures!["items"]!.AsArray().Count);
        Assert.Equal(1, await Database.CountEventsAsync());
    }

    [Fact]
    public async Task The_same_message_delivered_twice_by_Kafka_is_one_event()
    {
        var twice = Event();
        var bytes = IngestionMessage.Serialize(TestCluster.TenantA, twice);
        var sentinel = Event();
        using (var producer = Producer())
        {
            await producer.ProduceAsync(new TopicPartition(IngestionTopic, 3), new Message<string?, byte[]> { Key = "dup", Value = bytes });
            await producer.ProduceAsync(new TopicPartition(IngestionTopic, 3), new Message<string?, byte[]> { Key = "dup", Value = bytes });
            await producer.ProduceAsync(new TopicPartition(IngestionTopic, 3), new Message<string?, byte[]> { Key = "dup", Value = IngestionMessage.Serialize(TestCluster.TenantA, sentinel) });
        }

        await Client.EventuallyInStatusAsync(sentinel.Id, "COMPLETED");
        await Client.EventuallyInStatusAsync(twice.Id, "COMPLETED");

        Assert.Equal(1, await Database.CountEventsAsync($"id = '{twice.Id}'"));
        Assert.Single(Receiver.Received("/direct"), r => r.EventId == twice.Id);
    }

    [Fact]
    public async Task With_the_brokers_down_the_API_answers_503_and_nothing_it_accepted_is_lost()
    {
        var accepted = new List<Guid>();
        for (var i = 0; i < 10; i++)
        {
            accepted.Add(await Client.ScheduleAsync(Submissions.Http(Receiver.Url("/outage"))));
        }

        Kafka.StopBrokers();
        using (var refused = await Client.PostAsJsonAsync("/api/v1/events", Submissions.Http(Receiver.Url("/outage"))))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.NotNull(refused.Headers.RetryAfter);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
        }
        Kafka.StartBrokers();

        // Once the brokers are back, submissions are accepted again.
        var after = await Eventually.ReturnsAsync(async () =>
        {
            using var response = await Client.PostAsJsonAsync("/api/v1/events", Submissions.Http(Receiver.Url("/outage")));
            return response.StatusCode == HttpStatusCode.Accepted
                ? Guid.Parse(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!.GetValue<string>())
                : (Guid?)null;
        }, id => id is not null, "the API to accept again");
        accepted.Add(after!.Value);

        foreach (var id in accepted)
        {
            await Client.EventuallyInStatusAsync(id, "COMPLETED", TimeSpan.FromSeconds(60));
        }
        Assert.Equal(accepted.Order(), Receiver.Received("/outage").Select(r => r.EventId).Distinct().Order());
    }

    private NewEvent Event() => new(Guid.CreateVersion7(), $"job-{Guid.NewGuid():N}", "direct", DateTimeOffset.UtcNow,
        DeliveryType.Http, Receiver.Url("/direct"), """{"direct":true}""", null, 3, null);
}
