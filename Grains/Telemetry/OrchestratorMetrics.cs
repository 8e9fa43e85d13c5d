using System.Diagnostics.Metrics;

namespace Orchestrator.Grains.Telemetry;

/// <summary>
/// The product's instruments (System.Diagnostics.Metrics), one meter per host. Names are
/// already Prometheus names; /metrics renders them.
/// </summary>
public sealed class OrchestratorMetrics : IDisposable
{
    public OrchestratorMetrics()
    {
        Meter = new Meter("Orchestrator");
        Received = Meter.CreateCounter<long>("orchestrator_events_received", description: "Events accepted by the API (duplicates not counted).");
        Persisted = Meter.CreateCounter<long>("orchestrator_events_persisted", description: "Events written to PostgreSQL by the batch writer.");
        Fired = Meter.CreateCounter<long>("orchestrator_events_fired", description: "Reminders fired: events claimed for a delivery attempt.");
        Delivered = Meter.CreateCounter<long>("orchestrator_events_delivered", description: "Attempts the destination accepted.");
        Failed = Meter.CreateCounter<long>("orchestrator_events_failed", description: "Attempts that failed (retryable or not).");
        Retried = Meter.CreateCounter<long>("orchestrator_events_retried", description: "Failed attempts scheduled again after a backoff.");
        DeadLettered = Meter.CreateCounter<long>("orchestrator_events_dead_lettered", description: "Events that became dead letters.");
        IngestionFailures = Meter.CreateCounter<long>("orchestrator_ingestion_failures", description: "Kafka messages that could not become events.");
        FiringLag = Meter.CreateHistogram<double>("orchestrator_firing_lag_seconds", "s", "How late after its due time an event was claimed.");
        DeliveryLatency = Meter.CreateHistogram<double>("orchestrator_delivery_latency_seconds", "s", "How long one delivery attempt took.");
        ClaimBatchSize = Meter.CreateHistogram<long>("orchestrator_claim_batch_size", description: "Events claimed per claim.");
        IngestBatchSize = Meter.CreateHistogram<long>("orchestrator_ingest_batch_size", description: "Events per batch-writer transaction.");
    }

    public Meter Meter { get; }
    public Counter<long> Received { get; }
    public Counter<long> Persisted { get; }
    public Counter<long> Fired { get; }
    public Counter<long> Delivered { get; }
    public Counter<long> Failed { get; }
    public Counter<long> Retried { get; }
    public Counter<long> DeadLettered { get; }
    public Counter<long> IngestionFailures { get; }
    public Histogram<double> FiringLag { get; }
    public Histogram<double> DeliveryLatency { get; }
    public Histogram<long> ClaimBatchSize { get; }
    public Histogram<long> IngestBatchSize { get; }

    public void Dispose() => Meter.Dispose();
}
