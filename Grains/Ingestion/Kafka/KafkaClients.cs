using Confluent.Kafka;
using Orchestrator.Grains.Configuration;

namespace Orchestrator.Grains.Ingestion.Kafka;

/// <summary>The one place Kafka client settings are made: idempotent producers with acks=all.</summary>
public static class KafkaClients
{
    public static ProducerConfig Producer(KafkaOptions options, string clientId) => new()
    {
        BootstrapServers = options.BootstrapServers,
        ClientId = clientId,
        Acks = Acks.All,
        EnableIdempotence = true,
        LingerMs = 5,
        MessageTimeoutMs = (int)options.ProduceTimeout.TotalMilliseconds,
        RequestTimeoutMs = (int)Math.Min(options.ProduceTimeout.TotalMilliseconds, 30_000),
    };

    /// <summary>
    /// Offsets are stored by hand, only after the events are committed to PostgreSQL, and
    /// committed from the store every KAFKA_COMMIT_INTERVAL_MS (and on close).
    /// </summary>
    public static ConsumerConfig Consumer(KafkaOptions options, string clientId) => new()
    {
        BootstrapServers = options.BootstrapServers,
        ClientId = clientId,
        GroupId = options.ConsumerGroup,
        EnableAutoCommit = true,
        EnableAutoOffsetStore = false,
        AutoCommitIntervalMs = (int)options.CommitInterval.TotalMilliseconds,
        AutoOffsetReset = AutoOffsetReset.Earliest,
        PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky,
        // A silo that dies holds its partitions until the group notices; keep that short.
        SessionTimeoutMs = (int)options.SessionTimeout.TotalMilliseconds,
        HeartbeatIntervalMs = (int)Math.Max(500, options.SessionTimeout.TotalMilliseconds / 4),
    };
}
