using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Orchestrator.Grains.Configuration;
using Orchestrator.Grains.Ingestion.Kafka;

namespace Orchestrator.Silo.Ingestion;

/// <summary>
/// Creates the ingestion topic (KAFKA_PARTITIONS partitions) and its dead-letter topic if they
/// do not exist. Once, in the background: a broker that creates topics itself, or refuses,
/// does not hold the silo up.
/// </summary>
public sealed class KafkaTopicSetup(KafkaOptions options, ILogger<KafkaTopicSetup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var admin = new AdminClientBuilder(KafkaClients.Admin(options, "orchestrator-topic-setup"))
            .SetLogHandler((_, _) => { }).Build();
        var topics = new[]
        {
            new TopicSpecification { Name = options.IngestionTopic, NumPartitions = options.Partitions, ReplicationFactor = -1 },
            new TopicSpecification { Name = options.DeadLetterTopic, NumPartitions = 1, ReplicationFactor = -1 },
        };
        try
        {
            await admin.CreateTopicsAsync(topics, new CreateTopicsOptions { OperationTimeout = TimeSpan.FromSeconds(10), RequestTimeout = TimeSpan.FromSeconds(10) })
                .WaitAsync(TimeSpan.FromSeconds(15), stoppingToken);
            logger.LogInformation("Created Kafka topics {Ingestion} ({Partitions} partitions) and {DeadLetter}",
                options.IngestionTopic, options.Partitions, options.DeadLetterTopic);
        }
        catch (CreateTopicsException ex) when (ex.Results.All(r => r.Error.Code is ErrorCode.NoError or ErrorCode.TopicAlreadyExists))
        {
            // Already there: nothing to do.
        }
        catch (Exception ex) when (ex is KafkaException or TimeoutException)
        {
            logger.LogWarning("Could not create the Kafka topics (the broker may create them itself): {Reason}", ex.Message);
        }
    }
}
