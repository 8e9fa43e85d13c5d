using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orchestrator.Grains.Configuration;
using Orchestrator.Grains.Runtime;
using Orchestrator.Grains.Storage;
using Orchestrator.Grains.Storage.Events;
using Orchestrator.Grains.Telemetry;

namespace Orchestrator.Grains.Ingestion;

/// <summary>
/// Groups submissions from many concurrent requests into one transaction each: idempotency
/// keys claimed, events inserted in one multi-row statement, committed, then every waiting
/// submission answered. Under load the batches grow by themselves (whatever queued while the
/// last one was being written goes into the next), so there is no linger to tune.
/// The embedded ingestion path feeds it directly; the Kafka consumer feeds it too.
/// </summary>
public sealed class EventBatchWriter : BackgroundService, IEventIngestion
{
    private readonly Channel<Submission> _queue;
    private readonly NpgsqlDataSource _dataSource;
    private readonly IngestionOptions _options;
    private readonly ILogger<EventBatchWriter> _logger;
    private readonly OrchestratorMetrics _metrics;

    public EventBatchWriter(NpgsqlDataSource dataSource, IngestionOptions options, OrchestratorMetrics metrics, ILogger<EventBatchWriter> logger)
    {
        _dataSource = dataSource;
        _metrics = metrics;
        _options = options;
        _logger = logger;
        _queue = Channel.CreateBounded<Submission>(new BoundedChannelOptions(options.MaxPendingSubmissions)
        {
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public async Task<IReadOnlyList<ScheduleResult>> ScheduleAsync(TenantId tenant, IReadOnlyList<NewEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return [];
        }
        var submission = new Submission(tenant.Value, events);
        await _queue.Writer.WriteAsync(submission, cancellationToken);
        return await submission.Completion.Task.WaitAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var writers = Enumerable.Range(0, _options.Writers).Select(_ => RunWriterAsync(stoppingToken));
        await Task.WhenAll(writers);
    }

    private async Task RunWriterAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Submission>();
        while (await _queue.Reader.WaitToReadAsync(stoppingToken))
        {
            batch.Clear();
            var eventCount = 0;
            while (eventCount < _options.MaxBatchSize && _queue.Reader.TryRead(out var submission))
            {
                batch.Add(submission);
                eventCount += submission.Events.Count;
            }
            if (batch.Count == 0)
            {
                continue;
            }
            try
            {
                var results = await WriteAsync(batch, stoppingToken);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Completion.TrySetResult(results[i]);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                _logger.LogError(ex, "Writing a batch of {EventCount} events failed; {SubmissionCount} submissions refused", eventCount, batch.Count);
                foreach (var submission in batch)
                {
                    submission.Completion.TrySetException(new IngestionUnavailableException("The event store is unavailable.", ex));
                }
            }
        }
    }

    private async Task<IReadOnlyList<ScheduleResult>[]> WriteAsync(List<Submission> batch, CancellationToken cancellationToken)
    {
        // Within the batch the first event with a (tenant, key) proposes itself as its owner;
        // the database then says who really owns each key.
        var proposals = new Dictionary<(string, string), Guid>();
        foreach (var submission in batch)
        {
            foreach (var e in submission.Events)
            {
                if (e.IdempotencyKey is { } key)
                {
                    proposals.TryAdd((submission.TenantId, key), e.Id);
                }
            }
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var owners = await IdempotencyKeyStore.ClaimAsync(connection, transaction,
            proposals
                // One order for every writer, so two batches sharing keys cannot deadlock.
                .OrderBy(p => p.Key.Item1, StringComparer.Ordinal).ThenBy(p => p.Key.Item2, StringComparer.Ordinal)
                .Select(p => (p.Key.Item1, p.Key.Item2, p.Value)).ToList(),
            cancellationToken);

        var rows = new List<(string, NewEvent)>();
        var results = new IReadOnlyList<ScheduleResult>[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            var submission = batch[i];
            var submissionResults = new ScheduleResult[submission.Events.Count];
            for (var j = 0; j < submission.Events.Count; j++)
            {
                var e = submission.Events[j];
                var owner = e.IdempotencyKey is { } key ? owners[(submission.TenantId, key)] : e.Id;
                if (owner == e.Id)
                {
                    rows.Add((submission.TenantId, e));
                }
                submissionResults[j] = new ScheduleResult(owner, Duplicate: owner != e.Id);
            }
            results[i] = submissionResults;
        }
        var inserted = rows.Count > 0 ? await EventStore.InsertAsync(connection, transaction, rows, cancellationToken) : 0;
        await transaction.CommitAsync(cancellationToken);
        _metrics.Persisted.Add(inserted);
        _metrics.IngestBatchSize.Record(rows.Count);
        return results;
    }

    private sealed class Submission(string tenantId, IReadOnlyList<NewEvent> events)
    {
        public string TenantId { get; } = tenantId;
        public IReadOnlyList<NewEvent> Events { get; } = events;
        public TaskCompletionSource<IReadOnlyList<ScheduleResult>> Completion { get; } =
            new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
