using Confluent.Kafka;

namespace Orchestrator.Tests.Infrastructure;

/// <summary>
/// A cluster test whose nodes use Kafka: a mock cluster of three brokers with the ingestion
/// topic (8 partitions) and its dead-letter topic; each test has its own topics and group.
/// </summary>
public abstract class KafkaTest : ClusterTest
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];

    protected MockKafkaCluster Kafka { get; } = new();

    protected string IngestionTopic => $"ingestion-{_suffix}";

    protected string DeadLetterTopic => $"ingestion-dlq-{_suffix}";

    protected virtual IReadOnlyDictionary<string, string?> KafkaOverrides => new Dictionary<string, string?>();

    protected sealed override IReadOnlyDictionary<string, string?> Overrides
    {
        get
        {
            var settings = new Dictionary<string, string?>
            {
                ["KAFKA_BOOTSTRAP_SERVERS"] = Kafka.BootstrapServers,
                ["KAFKA_INGESTION_TOPIC"] = IngestionTopic,
                ["KAFKA_DLQ_TOPIC"] = DeadLetterTopic,
                ["KAFKA_CONSUMER_GROUP"] = $"silos-{_suffix}",
                ["KAFKA_PARTITIONS"] = "8",
                ["KAFKA_COMMIT_INTERVAL_MS"] = "200",
                ["KAFKA_SESSION_TIMEOUT_MS"] = "6000",
            };
            foreach (var (key, value) in KafkaOverrides)
            {
                settings[key] = value;
            }
            return settings;
        }
    }

    protected KafkaTest()
    {
        Orchestrator.Grains.Ingestion.Kafka.KafkaClients.LoadNativeLibrary();
        Kafka.CreateTopic(IngestionTopic, 8);
        Kafka.CreateTopic(DeadLetterTopic, 1);
    }

    protected IProducer<string?, byte[]> Producer() =>
        new ProducerBuilder<string?, byte[]>(new ProducerConfig { BootstrapServers = Kafka.BootstrapServers, Acks = Acks.All, EnableIdempotence = true })
            .SetLogHandler((_, _) => { }).Build();

    protected IConsumer<string?, byte[]?> Reader(string topic)
    {
        var consumer = new ConsumerBuilder<string?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = Kafka.BootstrapServers,
            GroupId = $"reader-{Guid.NewGuid():N}",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).SetLogHandler((_, _) => { }).Build();
        consumer.Subscribe(topic);
        return consumer;
    }

    /// <summary>Reads <paramref name="count"/> messages from a topic, or fails after the timeout.</summary>
    protected List<ConsumeResult<string?, byte[]?>> ReadMessages(string topic, int count, TimeSpan? timeout = null)
    {
        using var reader = Reader(topic);
        var messages = new List<ConsumeResult<string?, byte[]?>>();
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (messages.Count < count && DateTime.UtcNow < deadline)
        {
            if (reader.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } message)
            {
                messages.Add(message);
            }
        }
        reader.Close();
        return messages;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Kafka.Dispose();
    }
}
