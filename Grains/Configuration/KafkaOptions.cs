using Microsoft.Extensions.Configuration;

namespace Orchestrator.Grains.Configuration;

/// <summary>
/// Kafka, when KAFKA_BOOTSTRAP_SERVERS names brokers: the API publishes accepted events to the
/// ingestion topic and silos consume it as a group. Empty: embedded ingestion, Postgres only.
/// </summary>
public sealed record KafkaOptions(
    string BootstrapServers,
    string IngestionTopic,
    string DeadLetterTopic,
    int Partitions,
    string ConsumerGroup,
    TimeSpan ProduceTimeout,
    TimeSpan CommitInterval,
    TimeSpan BatchLinger,
    int BatchSize,
    TimeSpan SessionTimeout)
{
    public bool Enabled => BootstrapServers.Length > 0;

    public static KafkaOptions FromConfiguration(IConfiguration configuration) => new(
        configuration.GetString("KAFKA_BOOTSTRAP_SERVERS", ""),
        configuration.GetString("KAFKA_INGESTION_TOPIC", "orchestrator.ingestion"),
        configuration.GetString("KAFKA_DLQ_TOPIC", "orchestrator.ingestion.dlq"),
        configuration.GetInt("KAFKA_PARTITIONS", 24, 1, 10_000),
        configuration.GetString("KAFKA_CONSUMER_GROUP", "orchestrator-silos"),
        configuration.GetMilliseconds("KAFKA_PRODUCE_TIMEOUT_MS", 5_000, 100, 300_000),
        configuration.GetMilliseconds("KAFKA_COMMIT_INTERVAL_MS", 1_000, 10, 600_000),
        configuration.GetMilliseconds("KAFKA_BATCH_LINGER_MS", 50, 1, 10_000),
        configuration.GetInt("ORCH_INGESTION_BATCH_SIZE", 5_000, 1, 50_000),
        configuration.GetMilliseconds("KAFKA_SESSION_TIMEOUT_MS", 10_000, 1_000, 300_000));
}
