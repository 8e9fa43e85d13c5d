using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Orchestrator.Grains.Configuration;
using Orchestrator.Grains.Delivery;
using Orchestrator.Grains.Events;
using Orchestrator.Grains.Ingestion;
using Orchestrator.Grains.Ingestion.Kafka;
using Orchestrator.Grains.Maintenance;
using Orchestrator.Grains.Runtime;
using Orchestrator.Grains.Storage;
using Orchestrator.Grains.Storage.Cluster;
using Orchestrator.Grains.Storage.Events;
using Orchestrator.Grains.Telemetry;

namespace Orchestrator.Grains;

public static class Extensions
{
    /// <summary>PostgreSQL: the data source, the migrator and one store per table.</summary>
    public static IServiceCollection AddOrchestratorStorage(this IServiceCollection services, IConfiguration configuration)
    {
        var database = DatabaseOptions.FromConfiguration(configuration);
        services.AddSingleton(database);
        services.AddSingleton(_ => NpgsqlDataSource.Create(database.ConnectionString));
        services.AddSingleton<SchemaMigrator>();
        services.AddSingleton<EventStore>();
        services.AddSingleton<EventStatisticsStore>();
        services.AddSingleton<TenantStore>();
        services.AddSingleton<IdempotencyKeyStore>();
        services.AddSingleton<SiloStore>();
        services.AddSingleton<ClusterLeaseStore>();
        services.AddSingleton<MaintenanceRunStore>();
        services.AddSingleton<IngestionFailureStore>();
        services.AddSingleton<WebhookSecretStore>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<OrchestratorMetrics>();
        services.AddSingleton<PrometheusExporter>();
        services.AddSingleton<EventStatusGauge>();
        return services;
    }

    /// <summary>The grains and what they need to deliver: backoff, destination gates, HTTP.</summary>
    public static IServiceCollection AddOrchestratorGrains(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(IGrainFactory)))
        {
            return services; // a silo that also serves the API asks twice
        }
        var delivery = DeliveryOptions.FromConfiguration(configuration);
        services.AddSingleton(delivery);
        services.AddSingleton(RetryOptions.FromConfiguration(configuration));
        services.AddSingleton<RetryBackoff>();
        services.AddSingleton<DestinationGates>();
        var kafka = KafkaOptions.FromConfiguration(configuration);
        services.AddSingleton(kafka);
        if (kafka.Enabled)
        {
            services.AddSingleton<IEventDelivery, KafkaEventDelivery>();
        }
        services.AddSingleton(DestinationPolicy.FromConfiguration(configuration));
        services.AddSingleton<DestinationGuard>();
        services.AddSingleton(sp => new WebhookSigner(sp.GetRequiredService<WebhookSecretStore>(),
            TimeSpan.FromSeconds(configuration.GetInt("ORCH_WEBHOOK_SECRET_CACHE_SECONDS", 5, 0, 3600))));
        services.AddSingleton(sp => new TenantCache<TenantSettings>(
            TimeSpan.FromSeconds(configuration.GetInt("ORCH_TENANT_SETTINGS_CACHE_SECONDS", 5, 0, 3600)),
            sp.GetRequiredService<TenantStore>().SettingsAsync));
        services.AddSingleton<IEventDelivery>(sp => new HttpEventDelivery(
            new HttpClient(new SocketsHttpHandler
            {
                // A destination answers or it does not: redirects are not followed, no proxy
                // stands between, and every connection goes through the SSRF guard.
                AllowAutoRedirect = false,
                UseCookies = false,
                UseProxy = false,
                ConnectCallback = sp.GetRequiredService<DestinationGuard>().ConnectAsync,
                ConnectTimeout = TimeSpan.FromSeconds(5),
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            })
            { Timeout = Timeout.InfiniteTimeSpan },
            sp.GetRequiredService<DestinationGates>(), sp.GetRequiredService<WebhookSigner>(),
            sp.GetRequiredService<TenantCache<TenantSettings>>(), delivery));
        services.AddSingleton<EventDeliveries>();
        services.AddSingleton<IGrainActivator<IEventGrain>, EventGrainActivator>();
        services.AddSingleton<IGrainFactory, GrainFactory>();
        services.AddMaintenanceGrain(configuration);
        return services;
    }

    private static void AddMaintenanceGrain(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(MaintenanceOptions.FromConfiguration(configuration));
        // The order here is the order a run goes in: recover first, count last.
        services.AddSingleton<IMaintenanceDuty, ClaimRecoveryDuty>();
        services.AddSingleton<IMaintenanceDuty, PartitionCreationDuty>();
        services.AddSingleton<IMaintenanceDuty, RetentionDuty>();
        services.AddSingleton<IMaintenanceDuty, IdempotencyKeyPurgeDuty>();
        services.AddSingleton<IMaintenanceDuty, StatisticsRefreshDuty>();
        services.AddSingleton<MaintenanceGrain>();
        services.AddSingleton<IGrainActivator<IMaintenanceGrain>, MaintenanceGrainActivator>();
    }

    /// <summary>
    /// How the API accepts events: with KAFKA_BOOTSTRAP_SERVERS set, by publishing to the ingestion
    /// topic; otherwise (embedded) straight into the batch writer.
    /// </summary>
    public static IServiceCollection AddEventIngestion(this IServiceCollection services, IConfiguration configuration)
    {
        if (KafkaOptions.FromConfiguration(configuration).Enabled)
        {
            services.AddSingleton<IEventIngestion, KafkaEventIngestion>();
            return services;
        }
        services.AddEventBatchWriter(configuration);
        services.AddSingleton<IEventIngestion>(sp => sp.GetRequiredService<EventBatchWriter>());
        return services;
    }

    /// <summary>The batch writer that every accepted event goes through into PostgreSQL.</summary>
    public static IServiceCollection AddEventBatchWriter(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(EventBatchWriter)))
        {
            return services;
        }
        services.AddSingleton(IngestionOptions.FromConfiguration(configuration));
        services.AddSingleton<EventBatchWriter>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<EventBatchWriter>());
        return services;
    }
}
