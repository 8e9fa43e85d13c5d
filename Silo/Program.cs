using Orchestrator.Silo.Hosting;

// A silo: fires the events that fall due. With --with-api it also serves the REST API,
// which makes one process the whole product.
var app = SiloHost.Build(args);
await SiloHost.StartAsync(app, app.Lifetime.ApplicationStopping);
await app.WaitForShutdownAsync();
