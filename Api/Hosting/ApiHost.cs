namespace Orchestrator.Api.Hosting;

/// <summary>Builds the stateless API process: any number may run in front of the silos.</summary>
public static class ApiHost
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        builder.AddOrchestratorDefaults().AddOrchestratorApi();

        var app = builder.Build();
        app.UseOrchestratorDefaults();
        app.MapOrchestratorApi();
        return app;
    }

    /// <summary>Prepares the database and the seeded keys, then starts serving.</summary>
    public static async Task StartAsync(WebApplication app, CancellationToken cancellationToken)
    {
        await DatabaseStartup.PrepareAsync(app.Services, cancellationToken);
        await app.SeedApiKeysAsync(cancellationToken);
        await app.StartAsync(cancellationToken);
    }
}
