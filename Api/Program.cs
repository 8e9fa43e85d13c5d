using Orchestrator.Api;
using Orchestrator.Api.Hosting;

// The stateless API alone: any number of these may run in front of the silos.
var builder = WebApplication.CreateBuilder(args);
builder.AddOrchestratorDefaults().AddOrchestratorApi();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapHealthEndpoints();
app.MapOrchestratorApi();

await DatabaseStartup.PrepareAsync(app.Services, app.Lifetime.ApplicationStopping);
await app.SeedApiKeysAsync(app.Lifetime.ApplicationStopping);
await app.RunAsync();
