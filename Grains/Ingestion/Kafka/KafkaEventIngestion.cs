using Confluent.Kafka;
using Orchestrator.Grains.Configuration;
using Orchestrator.Grains.Runtime;
using Orchestrator.Grains.Storage;

namespace Orchestrator.Grains.Ingestion.Kafka;

/// <summary>
/// The API's side of Kafka ingestion: each accepted event is published to the ingestion topic,
/// keyed by tenant and source so one client's events stay in order, and the call completes
/// only once the broker has acknowledged every one (acks=all). If it cannot, nothing is
/// answered 202. A repeated idempotency key already stored is answered with its original
/// event at once; two submissions of one key racing through the topic are settled by the
/// silo that stores them, and only the first becomes an event.
/// </summary>
public sealed class KafkaEventIngestion : IEventIngestion, IDisposable
{
    private readonly IProducer<string, byte[]> _producer;
    private readonly KafkaOptions _options;
    private readonly IdempotencyKeyStore _keys;

    public KafkaEventIngestion(KafkaOptions options, IdempotencyKeyStore keys)
    {
        _options = options;
        _keys = keys;
        _producer = new ProducerBuilder<string, byte[]>(KafkaClients.Producer(options, $"orchestrator-api-{Environment.MachineName}")).Build();
    }

    public async Task<IReadOnlyList<ScheduleResult>> ScheduleAsync(TenantId tenant, IReadOnlyList<NewEvent> events, CancellationToken cancellationToken)
    {
        var results = new ScheduleResult[events.Count];
        var owners = await StoredOwnersAsync(tenant, events, cancellationToken);
        var publishing = new List<Task>(events.Count);
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            if (e.IdempotencyKey is { } key && owners.TryGetValue(key, out var owner))
            {
                results[i] = new ScheduleResult(owner, Duplicate: true);
                continue;
            }
            if (e.IdempotencyKey is { } newKey)
            {
                owners[newKey] = e.Id; // later events of this call with the same key are its duplicates
            }
            results[i] = new ScheduleResult(e.Id, Duplicate: false);
            publishing.Add(_producer.ProduceAsync(_options.IngestionTopic, new Message<string, byte[]>
            {
                Key = $"{tenant.Value}/{e.Source}",
                Value = IngestionMessage.Serialize(tenant.Value, e),
            }, cancellationToken));
        }
        try
        {
            await Task.WhenAll(publishing);
        }
        catch (KafkaException ex)
        {
            throw new IngestionUnavailableException($"Kafka did not acknowledge the events: {ex.Error.Reason}", ex);
        }
        return results;
    }

    private async Task<Dictionary<string, Guid>> StoredOwnersAsync(TenantId tenant, IReadOnlyList<NewEvent> events, CancellationToken cancellationToken)
    {
        var keys = events.Where(e => e.IdempotencyKey is not null).Select(e => e.IdempotencyKey!).Distinct().ToList();
        if (keys.Count == 0)
        {
            return new Dictionary<string, Guid>(StringComparer.Ordinal);
        }
        try
        {
            return await _keys.FindOwnersAsync(tenant.Value, keys, cancellationToken);
        }
        catch (Npgsql.NpgsqlException ex)
        {
            throw new IngestionUnavailableException("The idempotency keys could not be checked.", ex);
        }
    }

    public void Dispose()
    {
        _producer.Flush(TimeSpan.FromSeconds(5));
        _producer.Dispose();
    }
}
