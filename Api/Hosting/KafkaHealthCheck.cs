using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orchestrator.Grains.Configuration;
using Orchestrator.Grains.Ingestion.Kafka;

namespace Orchestrator.Api.Hosting;

/// <summary>Ready needs Kafka too when it is configured: a broker answers a metadata request.</summary>
public sealed class KafkaHealthCheck(KafkaOptions options) : IHealthCheck, IDisposable
{
    private readonly IAdminClient _admin = new AdminClientBuilder(KafkaClients.Admin(options, $"orchestrator-health-{Environment.MachineName}"))
        .SetLogHandler((_, _) => { }).Build();

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.Run(() =>
        {
            try
            {
                var metadata = _admin.GetMetadata(options.IngestionTopic, TimeSpan.FromSeconds(2));
                return metadata.Brokers.Count > 0
                    ? HealthCheckResult.Healthy($"{metadata.Brokers.Count} Kafka brokers")
                    : HealthCheckResult.Unhealthy("no Kafka broker answers");
            }
            catch (KafkaException ex)
            {
                return HealthCheckResult.Unhealthy($"Kafka unreachable: {ex.Error.Reason}");
            }
        }, cancellationToken);

    public void Dispose() => _admin.Dispose();
}
