using Microsoft.Extensions.Configuration;

namespace Orchestrator.Grains.Configuration;

/// <summary>How the batch writer groups accepted events into one transaction.</summary>
public sealed record IngestionOptions(int MaxBatchSize, int MaxPendingSubmissions, int Writers)
{
    public static IngestionOptions FromConfiguration(IConfiguration configuration) => new(
        configuration.GetInt("ORCH_INGESTION_BATCH_SIZE", 5_000, 1, 50_000),
        configuration.GetInt("ORCH_INGESTION_QUEUE_LIMIT", 10_000, 1, 1_000_000),
        configuration.GetInt("ORCH_INGESTION_WRITERS", 2, 1, 64));
}
