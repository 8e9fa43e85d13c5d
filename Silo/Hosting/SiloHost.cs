using Orchestrator.Api;
using Orchestrator.Api.Hosting;
using Orchestrator.Api.Validation;
using Orchestrator.Grains;
using Orchestrator.Grains.Configuration;
using Orchestrator.Silo.Cluster;
using Orchestrator.Silo.Dashboard;
using Orchestrator.Silo.Ingestion;
using Orchestrator.Silo.Reminders;

namespace Orchestrator.Silo.Hosting;

/// <summary>
/// Builds a silo process: the grains, the reminder loop and the background duties, plus
/// the REST API when started with --with-api (the one-process local product).
/// </summary>
public static class SiloHost
{
    public const string WithApiFlag = "--with-api";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var withApi = args.Contains(WithApiFlag);
        var builder = WebApplication.CreateBuilder(args.Where(a => a != WithApiFlag).ToArray());
        configure?.Invoke(builder);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls("http://localhost:8080");
        }
        builder.AddOrchestratorDefaults();
        AddSilo(builder);
        if (withApi)
        {
            builder.AddOrchestratorApi();
        }

        var app = builder.Build();
        app.UseOrchestratorDefaults();
        app.MapDashboard();
        if (withApi)
        {
            app.MapOrchestratorApi();
        }
        return app;
    }

    /// <summary>Prepares the database (and the API's keys), then starts serving and firing.</summary>
    public static async Task StartAsync(WebApplication app, CancellationToken cancellationToken)
    {
        if (app.Services.GetService<EventRequestReader>() is not null)
        {
            await ApiHost.StartAsync(app, cancellationToken);
            return;
        }
        await DatabaseStartup.PrepareAsync(app.Services, cancellationToken);
        await app.StartAsync(cancellationToken);
    }

    private static void AddSilo(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var scheduler = SchedulerOptions.FromConfiguration(builder.Configuration);
        var delivery = DeliveryOptions.FromConfiguration(builder.Configuration);
        if (delivery.DestinationQueueWait + delivery.Policy.Timeout >= scheduler.ClaimLease)
        {
            throw new InvalidOperationException(
                "ORCH_DESTINATION_QUEUE_WAIT_MS + ORCH_DELIVERY_TIMEOUT_MS must be shorter than ORCH_CLAIM_LEASE_MS, " +
                "or events would be recovered while still being delivered.");
        }
        services.AddSingleton(scheduler);
        services.AddSingleton(ClusterOptions.FromConfiguration(builder.Configuration));
        services.AddSingleton(SiloIdentity.New());
        services.AddOrchestratorGrains(builder.Configuration);
        services.AddSingleton<ReminderWakeups>();
        // Hosted services start in this order and stop in reverse: membership registers before
        // anything is claimed and marks the silo stopped last; the recorder outlives the loop.
        services.AddHostedService<SiloMembership>();
        services.AddSingleton<MaintenanceLeadership>();
        services.AddHostedService(sp => sp.GetRequiredService<MaintenanceLeadership>());
        services.AddSingleton<TransitionRecorder>();
        services.AddHostedService(sp => sp.GetRequiredService<TransitionRecorder>());
        services.AddSingleton<ReminderService>();
        services.AddHostedService(sp => sp.GetRequiredService<ReminderService>());
        services.AddHostedService<DueEventListener>();
        services.AddSingleton<ThroughputHistory>();
        services.AddHostedService(sp => sp.GetRequiredService<ThroughputHistory>());
        if (KafkaOptions.FromConfiguration(builder.Configuration).Enabled)
        {
            // The writer is registered before the consumer so that it stops after it.
            services.AddEventBatchWriter(builder.Configuration);
            services.AddHostedService<KafkaTopicSetup>();
            services.AddSingleton<IngestionConsumer>();
            services.AddHostedService(sp => sp.GetRequiredService<IngestionConsumer>());
        }
    }
}
