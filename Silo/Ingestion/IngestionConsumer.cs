using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using Orchestrator.Grains.Configuration;
using Orchestrator.Grains.Ingestion;
using Orchestrator.Grains.Ingestion.Kafka;
using Orchestrator.Grains.Runtime;
using Orchestrator.Grains.Storage;
using Orchestrator.Grains.Telemetry;
using Orchestrator.Silo.Hosting;

namespace Orchestrator.Silo.Ingestion;

/// <summary>
/// The silo's side of Kafka ingestion: consumes the ingestion topic as one of the group, in
/// batches (up to ORCH_INGESTION_BATCH_SIZE messages or KAFKA_BATCH_LINGER_MS after the first),
/// hands each batch to the batch writer, and stores the offsets only after PostgreSQL has
/// committed — so a silo killed in between loses nothing, and the replay is deduplicated by
/// the events' keys. Poison messages go to the dead-letter topic and the ingestion_failures
/// table; their offsets are stored only once both have taken them. While PostgreSQL is away
/// the batch is retried and nothing is stored. Messages of partitions revoked in a rebalance
/// are abandoned uncommitted for their new owner.
/// </summary>
public sealed class IngestionConsumer(
    KafkaOptions options,
    EventBatchWriter writer,
    IngestionFailureStore failures,
    SiloIdentity silo,
    OrchestratorMetrics metrics,
    ILogger<IngestionConsumer> logger) : BackgroundService
{
    public const string ReasonHeader = "orchestrator-dlq-reason";

    private readonly List<ConsumeResult<string?, byte[]?>> _pending = [];
    private long _consumed;
    private long _persisted;
    private long _poisoned;

    public long Consumed => Interlocked.Read(ref _consumed);

    public long Persisted => Interlocked.Read(ref _persisted);

    public long Poisoned => Interlocked.Read(ref _poisoned);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Run(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken stoppingToken)
    {
        using var consumer = new ConsumerBuilder<string?, byte[]?>(KafkaClients.Consumer(options, $"orchestrator-silo-{silo.Id}"))
            .SetPartitionsRevokedHandler((_, revoked) => Abandon(revoked.Select(p => p.TopicPartition)))
            .SetPartitionsLostHandler((_, lost) => Abandon(lost.Select(p => p.TopicPartition)))
            .SetErrorHandler((_, error) => logger.LogWarning("Kafka consumer: {Reason}", error.Reason))
            .SetLogHandler((_, _) => { })
            .Build();
        using var deadLetters = new ProducerBuilder<string?, byte[]?>(KafkaClients.Producer(options, $"orchestrator-dlq-{silo.Id}"))
            .SetLogHandler((_, _) => { })
            .Build();
        consumer.Subscribe(options.IngestionTopic);
        logger.LogInformation("Silo {SiloId} consuming {Topic} as group {Group}", silo.Id, options.IngestionTopic, options.ConsumerGroup);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                FillBatch(consumer, stoppingToken);
                if (_pending.Count == 0)
                {
                    continue;
                }
                if (Persist(deadLetters, stoppingToken))
                {
                    StoreOffsets(consumer);
                }
                _pending.Clear();
            }
        }
        finally
        {
            // Commits the stored offsets and leaves the group, so the partitions move at once.
            consumer.Close();
        }
    }

    private void FillBatch(IConsumer<string?, byte[]?> consumer, CancellationToken stoppingToken)
    {
        var lingerEnds = long.MaxValue;
        while (_pending.Count < options.BatchSize && !stoppingToken.IsCancellationRequested)
        {
            var timeout = _pending.Count == 0
                ? TimeSpan.FromMilliseconds(250)
                : Stopwatch.GetElapsedTime(0, lingerEnds - Stopwatch.GetTimestamp() > 0 ? lingerEnds - Stopwatch.GetTimestamp() : 0);
            if (_pending.Count > 0 && Stopwatch.GetTimestamp() >= lingerEnds)
            {
                return;
            }
            ConsumeResult<string?, byte[]?>? result;
            try
            {
                result = consumer.Consume(timeout);
            }
            catch (ConsumeException ex)
            {
                logger.LogWarning("Consuming {Topic} failed: {Reason}", options.IngestionTopic, ex.Error.Reason);
                return;
            }
            if (result is null || result.IsPartitionEOF)
            {
                if (_pending.Count > 0 || result is null)
                {
                    return;
                }
                continue;
            }
            _pending.Add(result);
            Interlocked.Increment(ref _consumed);
            if (_pending.Count == 1)
            {
                lingerEnds = Stopwatch.GetTimestamp() + (long)(options.BatchLinger.TotalSeconds * Stopwatch.Frequency);
            }
        }
    }

    /// <summary>Stores the batch durably, retrying until done; false if stopped first.</summary>
    private bool Persist(IProducer<string?, byte[]?> deadLetters, CancellationToken stoppingToken)
    {
        var events = new List<(string Tenant, NewEvent Event)>(_pending.Count);
        var poison = new List<(ConsumeResult<string?, byte[]?> Message, string Reason)>();
        foreach (var message in _pending)
        {
            if (IngestionMessage.TryParse(message.Message.Value, out var tenant, out var e, out var reason))
            {
                events.Add((tenant, e!));
            }
            else
            {
                poison.Add((message, reason));
            }
        }

        var deadLettered = poison.Count == 0;
        var delay = TimeSpan.FromMilliseconds(100);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!deadLettered)
                {
                    DeadLetterAsync(deadLetters, poison, stoppingToken).GetAwaiter().GetResult();
                    deadLettered = true;
                    Interlocked.Add(ref _poisoned, poison.Count);
                    metrics.IngestionFailures.Add(poison.Count);
                }
                if (events.Count > 0)
                {
                    Task.WhenAll(events.GroupBy(e => e.Tenant).Select(group =>
                            writer.ScheduleAsync(new TenantId(group.Key), group.Select(g => g.Event).ToList(), stoppingToken)))
                        .GetAwaiter().GetResult();
                    Interlocked.Add(ref _persisted, events.Count);
                }
                return true;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Storing a batch of {Count} ingested messages failed; retrying in {Delay} without committing: {Reason}",
                    _pending.Count, delay, ex.Message);
                stoppingToken.WaitHandle.WaitOne(delay);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5_000));
            }
        }
        return false;
    }

    private async Task DeadLetterAsync(
        IProducer<string?, byte[]?> deadLetters, List<(ConsumeResult<string?, byte[]?> Message, string Reason)> poison, CancellationToken stoppingToken)
    {
        await Task.WhenAll(poison.Select(p => deadLetters.ProduceAsync(options.DeadLetterTopic, new Message<string?, byte[]?>
        {
            Key = p.Message.Message.Key,
            Value = p.Message.Message.Value,
            Headers = new Headers
            {
                { ReasonHeader, Encoding.UTF8.GetBytes(p.Reason) },
                { "orchestrator-original-topic", Encoding.UTF8.GetBytes(p.Message.Topic) },
                { "orchestrator-original-partition", Encoding.UTF8.GetBytes(p.Message.Partition.Value.ToString()) },
                { "orchestrator-original-offset", Encoding.UTF8.GetBytes(p.Message.Offset.Value.ToString()) },
            },
        }, stoppingToken)));
        await failures.RecordAsync(poison.Select(p => new IngestionFailure(
            p.Message.Topic, p.Message.Partition.Value, p.Message.Offset.Value, p.Message.Message.Key, p.Reason,
            p.Message.Message.Value?.Length ?? 0, IngestionMessage.Excerpt(p.Message.Message.Value), DateTimeOffset.UtcNow)).ToList(),
            stoppingToken);
        foreach (var (message, reason) in poison)
        {
            logger.LogWarning("Poison message at {Topic}[{Partition}]@{Offset} sent to {DeadLetterTopic}: {Reason}",
                message.Topic, message.Partition.Value, message.Offset.Value, options.DeadLetterTopic, reason);
        }
    }

    private void StoreOffsets(IConsumer<string?, byte[]?> consumer)
    {
        foreach (var partition in _pending.GroupBy(m => m.TopicPartition))
        {
            try
            {
                consumer.StoreOffset(new TopicPartitionOffset(partition.Key, partition.Max(m => m.Offset.Value) + 1));
            }
            catch (KafkaException)
            {
                // The partition moved to another silo meanwhile; it re-reads from the last commit and
                // the events it finds stored already are skipped.
            }
        }
    }

    private void Abandon(IEnumerable<TopicPartition> revoked)
    {
        var gone = revoked.ToHashSet();
        var abandoned = _pending.RemoveAll(m => gone.Contains(m.TopicPartition));
        if (abandoned > 0)
        {
            logger.LogInformation("Abandoned {Count} uncommitted messages of revoked partitions to their new owner", abandoned);
        }
    }
}
