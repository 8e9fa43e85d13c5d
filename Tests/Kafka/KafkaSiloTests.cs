using Confluent.Kafka;
using Orchestrator.Grains.Events;
using Orchestrator.Grains.Ingestion;
using Orchestrator.Grains.Ingestion.Kafka;
using Orchestrator.Silo.Ingestion;
using Orchestrator.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Orchestrator.Tests.Kafka;

public sealed class KafkaSiloTests(ITestOutputHelper output) : KafkaTest
{
    protected override bool StartsAllInOneNode => false;

    [Fact]
    public async Task A_silo_killed_after_inserting_but_before_committing_loses_and_duplicates_nothing()
    {
        const int count = 2000;
        // The doomed silo stores offsets but would commit them only after a minute.
        var settings = new Dictionary<string, string?>(Cluster.Settings) { ["KAFKA_COMMIT_INTERVAL_MS"] = "60000" };
        await using var doomed = SiloProcess.Start(settings);
        await Database.WaitForAliveSilosAsync(1);
        await ProduceAsync(count, DateTimeOffset.UtcNow.AddHours(1));
        await Eventually.TrueAsync(async () => await Database.CountEventsAsync() == count, "the doomed silo to insert everything", TimeSpan.FromSeconds(60));
        Assert.Equal(0, CommittedMessages());

        doomed.Kill();
        var survivor = await Cluster.StartSiloAsync();

        var consumer = survivor.Services.GetRequiredService<IngestionConsumer>();
        await Eventually.TrueAsync(() => consumer.Consumed == count && CommittedMessages() == count, "the survivor to re-read and commit everything");
        Assert.Equal(count, await Database.CountEventsAsync());
        Assert.Equal(count, await Database.ScalarAsync<long>("SELECT count(DISTINCT id) FROM events"));
    }

    [Fact]
    public async Task Two_silos_share_the_ingestion_partitions()
    {
        const int count = 4000;
        var silos = new[] { await Cluster.StartSiloAsync(), await Cluster.StartSiloAsync() };
        var consumers = silos.Select(s => s.Services.GetRequiredService<IngestionConsumer>()).ToArray();

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await ProduceAsync(count, DateTimeOffset.UtcNow.AddHours(1));
        await Eventually.TrueAsync(async () => await Database.CountEventsAsync() == count, "every message persisted");
        clock.Stop();
        // The consumers count a batch just after its commit returns.
        await Eventually.TrueAsync(() => consumers.Sum(c => c.Persisted) == count, "both consumers to count their batches");

        output.WriteLine($"{count} messages persisted by two silos in {clock.Elapsed.TotalSeconds:0.00}s; split {consumers[0].Persisted} / {consumers[1].Persisted}");
        Assert.All(consumers, c => Assert.True(c.Persisted > 0, "a silo consumed nothing"));
        Assert.Equal(count, consumers.Sum(c => c.Persisted));
    }

    private async Task ProduceAsync(int count, DateTimeOffset at)
    {
        using var producer = Producer();
        var sends = Enumerable.Range(0, count).Select(i =>
        {
            var e = new NewEvent(Guid.CreateVersion7(), $"job-{i}", $"source-{i % 16}", at, DeliveryType.Http,
                Receiver.Url("/k"), $$"""{"n":{{i}}}""", null, 3, null);
            return producer.ProduceAsync(IngestionTopic, new Message<string?, byte[]>
            {
                Key = $"{TestCluster.TenantA}/{e.Source}",
                Value = IngestionMessage.Serialize(TestCluster.TenantA, e),
            });
        });
        await Task.WhenAll(sends);
    }

    /// <summary>Messages of the ingestion topic the silos' group has committed past.</summary>
    private long CommittedMessages()
    {
        using var probe = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = Kafka.BootstrapServers,
            GroupId = Cluster.Settings["KAFKA_CONSUMER_GROUP"],
        }).SetLogHandler((_, _) => { }).Build();
        var partitions = Enumerable.Range(0, 8).Select(p => new TopicPartition(IngestionTopic, p));
        return probe.Committed(partitions, TimeSpan.FromSeconds(5)).Sum(c => c.Offset.Value > 0 ? c.Offset.Value : 0);
    }
}
