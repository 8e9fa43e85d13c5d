using Orchestrator.Api.Hosting;

// The stateless API alone: any number of these may run in front of the silos.
var app = ApiHost.Build(args);
await ApiHost.StartAsync(app, app.Lifetime.ApplicationStopping);
await app.WaitForShutdownAsync();
