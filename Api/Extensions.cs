using Orchestrator.Api.Apis;
using Orchestrator.Api.Hosting;
using Orchestrator.Api.Tenancy;
using Orchestrator.Api.Validation;
using Orchestrator.Grains;
using Orchestrator.Grains.Delivery;
using Orchestrator.Grains.Storage;

namespace Orchestrator.Api;

public static class Extensions
{
    /// <summary>The REST API: tenant authentication, validation, grains, ingestion, OpenAPI.</summary>
    public static WebApplicationBuilder AddOrchestratorApi(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOrchestratorGrains(builder.Configuration);
        services.AddEventIngestion(builder.Configuration);
        services.AddSingleton(SubmissionLimits.FromConfiguration(builder.Configuration));
        services.AddSingleton<EventRequestReader>();
        services.AddSingleton<DestinationScreen>();
        services.AddSingleton<TenantRateLimiter>();
        services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Orchestrator";
            document.Info.Description = "Schedule events for delivery to a webhook or Kafka topic at their time.";
            return Task.CompletedTask;
        }));
        return builder;
    }

    public static WebApplication MapOrchestratorApi(this WebApplication app)
    {
        app.MapOpenApi("/openapi/v1.json");
        app.MapEventsApi();
        app.MapDeadLettersApi();
        app.MapAdminApi();
        app.MapTenantsApi();
        return app;
    }

    /// <summary>
    /// Seeds the tenants and keys named in ORCH_API_KEYS and the signing secrets named in
    /// ORCH_WEBHOOK_SECRETS; any tenant still without a signing secret gets a generated one.
    /// </summary>
    public static async Task SeedApiKeysAsync(this WebApplication app, CancellationToken cancellationToken)
    {
        var seeds = ApiKeySeeds.Parse(app.Configuration["ORCH_API_KEYS"]);
        await app.Services.GetRequiredService<TenantStore>().SeedAsync(seeds, cancellationToken);
        var secrets = app.Services.GetRequiredService<WebhookSecretStore>();
        await secrets.SeedAsync(WebhookSecretSeeds.Parse(app.Configuration["ORCH_WEBHOOK_SECRETS"]), cancellationToken);
        await secrets.EnsureEveryTenantHasOneAsync(WebhookSigner.NewSecret, cancellationToken);
        if (seeds.Count == 0)
        {
            app.Logger.LogWarning("ORCH_API_KEYS is empty: no tenant can call the API until keys are seeded");
        }
        if (string.IsNullOrEmpty(app.Configuration["ORCH_ADMIN_KEY"]))
        {
            app.Logger.LogWarning("ORCH_ADMIN_KEY is empty: admin endpoints refuse everyone");
        }
    }
}
