using System.Text.Json;
using Orchestrator.Bench;
using Orchestrator.Bench.Product;
using Orchestrator.Bench.Scenarios;
using Orchestrator.Bench.Sink;
using Orchestrator.Tests.Infrastructure;
using Spectre.Console;

// dotnet run --project Bench -c Release -- [ingest fire lag herd] [--smoke] [--kafka] [--events N] ...
var options = BenchOptions.Parse(args);
AnsiConsole.MarkupLine($"[bold]Orchestrator bench[/] — {Environment.ProcessorCount} cores, {options.Silos} silo(s), {(options.Kafka ? "Kafka ingestion (librdkafka mock cluster)" : "embedded ingestion")}");

using var kafka = options.Kafka ? new MockKafkaCluster() : null;
await using var database = new BenchDatabase();
await database.CreateAsync();
await using var sink = await DeliverySink.StartAsync(options.Destinations);
var settings = new Dictionary<string, string?>(database.Settings)
{
    ["ORCH_API_KEYS"] = $"bench:{BenchOptions.ApiKey}",
    ["ORCH_ALLOW_PRIVATE_DESTINATIONS"] = "true",
    ["ORCH_TENANT_RATE_LIMIT_PER_SECOND"] = "10000000",
    ["ORCH_TENANT_RATE_LIMIT_BURST"] = "10000000",
    ["ORCH_DESTINATION_CONCURRENCY"] = options.DestinationLimit.ToString(),
};
if (kafka is not null)
{
    kafka.CreateTopic("orchestrator.ingestion", 24);
    kafka.CreateTopic("orchestrator.ingestion.dlq", 1);
    settings["KAFKA_BOOTSTRAP_SERVERS"] = kafka.BootstrapServers;
}
foreach (var (key, value) in options.ProductSettings)
{
    settings[key] = value;
}
await using var product = await ProductProcess.StartAsync(settings);
// Further silos share the firing by claims; the first one also serves the API.
var extraSilos = new List<ProductProcess>();
for (var i = 1; i < options.Silos; i++)
{
    extraSilos.Add(await ProductProcess.StartAsync(settings, withApi: false));
}
using var client = new HttpClient { BaseAddress = product.Address, Timeout = TimeSpan.FromMinutes(2) };
client.DefaultRequestHeaders.Add("X-Api-Key", BenchOptions.ApiKey);
var bench = new BenchContext(product, database, sink, client, options.Clients, new CpuMeter([product.Id, .. extraSilos.Select(s => s.Id)]));

var results = new List<ScenarioResult>();
await AnsiConsole.Progress()
    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
    .StartAsync(async progress =>
    {
        if (options.WarmUp > 0)
        {
            // A silo in service has long since compiled its firing path to optimised code; a
            // fresh one runs it unoptimised at first. Warm it up once, unmeasured.
            await FireScenario.RunAsync(bench, "warm-up", options.WarmUp, options.DestinationLimit, herd: false, progress);
        }
        foreach (var scenario in options.Scenarios)
        {
            results.Add(scenario switch
            {
                "ingest" => await IngestScenario.RunAsync(bench, options.IngestEvents, progress),
                "fire" => await FireScenario.RunAsync(bench, "fire", options.FireEvents, options.DestinationLimit, herd: false, progress),
                "lag" => await LagScenario.RunAsync(bench, options.LagRate, options.LagSeconds, progress),
                "herd" => await FireScenario.RunAsync(bench, "herd", options.HerdEvents, options.DestinationLimit, herd: true, progress),
                _ => throw new ArgumentException($"unknown scenario {scenario}"),
            });
        }
    });
var peak = product.PeakRssMiB();
results.Add(new ScenarioResult("memory", [new Measurement("silo peak RSS", peak, "MiB", "≤ 300", peak <= 300)]));
foreach (var silo in extraSilos)
{
    await silo.DisposeAsync();
}

var table = new Table().AddColumns("scenario", "measure", "value", "target", "");
foreach (var result in results)
{
    foreach (var m in result.Measurements)
    {
        table.AddRow(result.Scenario, m.Name, $"{m.Value:N1} {m.Unit}", m.Target ?? "", m.Met switch { true => "[green]met[/]", false => "[red]missed[/]", _ => "" });
    }
}
AnsiConsole.Write(table);
Directory.CreateDirectory(Path.GetDirectoryName(options.Output)!);
await File.WriteAllTextAsync(options.Output, JsonSerializer.Serialize(new
{
    machine = new { cores = Environment.ProcessorCount, os = Environment.OSVersion.ToString(), dotnet = Environment.Version.ToString() },
    ingestion = options.Kafka ? "kafka" : "embedded",
    results,
}, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
AnsiConsole.MarkupLine($"Results written to [bold]{options.Output}[/]");
return 0;
