using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Orchestrator.Grains;
using Microsoft.AspNetCore.Authentication;
using Orchestrator.Api.Tenancy;
using Orchestrator.Grains.Configuration;
using Orchestrator.Grains.Telemetry;

namespace Orchestrator.Api.Hosting;

/// <summary>
/// What every Orchestrator process has, API or silo: snake_case JSON, problem details,
/// storage, and the health endpoints.
/// </summary>
public static class HostDefaults
{
    public static WebApplicationBuilder AddOrchestratorDefaults(this WebApplicationBuilder builder)
    {
        // One line per request at Information is noise at thousands of requests a second.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            options.SerializerOptions.DictionaryKeyPolicy = null;
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseUpper));
        });
        builder.Services.AddProblemDetails();
        builder.Services.AddOrchestratorStorage(builder.Configuration);
        // Tenants call with API keys, operators with admin credentials — on every process, so a
        // silo alone can guard /metrics too.
        builder.Services.AddSingleton<TenantKeyCache>();
        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, AdminAuthenticationHandler>(AdminAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder().AddPolicy(AdminAuthenticationHandler.PolicyName, policy => policy
            .AddAuthenticationSchemes(AdminAuthenticationHandler.SchemeName)
            .RequireAuthenticatedUser());
        var health = builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        if (KafkaOptions.FromConfiguration(builder.Configuration).Enabled)
        {
            builder.Services.AddSingleton<KafkaHealthCheck>();
            health.AddCheck<KafkaHealthCheck>("kafka", tags: ["ready"]);
        }
        return builder;
    }

    /// <summary>Problem details for every error, authentication, health and metrics endpoints.</summary>
    public static WebApplication UseOrchestratorDefaults(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapMetricsEndpoint();
        return app.MapHealthEndpoints();
    }

    /// <summary>
    /// /metrics in Prometheus text format: open by default (like any scrape target inside a
    /// cluster), admin-only with ORCH_METRICS_REQUIRE_ADMIN=true.
    /// </summary>
    private static void MapMetricsEndpoint(this WebApplication app)
    {
        // Made now, not at the first scrape: a listener hears only what is measured after it starts.
        var exporter = app.Services.GetRequiredService<PrometheusExporter>();
        var events = app.Services.GetRequiredService<EventStatusGauge>();
        var endpoint = app.MapGet("/metrics", async (ILoggerFactory loggers, CancellationToken cancellationToken) =>
        {
            try
            {
                await events.RefreshAsync(cancellationToken);
            }
            catch (Npgsql.NpgsqlException ex)
            {
                // The counters are still worth scraping; the status gauge keeps its last values.
                loggers.CreateLogger("Metrics").LogWarning("Reading event statistics for /metrics failed: {Reason}", ex.Message);
            }
            return Results.Text(exporter.Render(), "text/plain; version=0.0.4; charset=utf-8");
        }).ExcludeFromDescription();
        if (app.Configuration.GetBool("ORCH_METRICS_REQUIRE_ADMIN", false))
        {
            endpoint.RequireAuthorization(AdminAuthenticationHandler.PolicyName);
        }
    }

    public static WebApplication MapHealthEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        return app;
    }
}
