using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Orchestrator.Grains;
using Orchestrator.Grains.Configuration;

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
        var health = builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        if (KafkaOptions.FromConfiguration(builder.Configuration).Enabled)
        {
            builder.Services.AddSingleton<KafkaHealthCheck>();
            health.AddCheck<KafkaHealthCheck>("kafka", tags: ["ready"]);
        }
        return builder;
    }

    /// <summary>Problem details for every error, and the health endpoints.</summary>
    public static WebApplication UseOrchestratorDefaults(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app.MapHealthEndpoints();
    }

    public static WebApplication MapHealthEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        return app;
    }
}
