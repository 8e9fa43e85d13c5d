namespace Orchestrator.Bench;

/// <summary>The bench's command line.</summary>
public sealed record BenchOptions(
    IReadOnlyList<string> Scenarios,
    bool Kafka,
    int IngestEvents,
    int FireEvents,
    int HerdEvents,
    int LagRate,
    int LagSeconds,
    int Destinations,
    int DestinationLimit,
    int Clients,
    int Silos,
    int WarmUp,
    string Output,
    IReadOnlyDictionary<string, string?> ProductSettings)
{
    public const string ApiKey = "bench-key-0123456789";

    private static readonly string[] AllScenarios = ["ingest", "fire", "lag", "herd"];

    public static BenchOptions Parse(string[] args)
    {
        var smoke = args.Contains("--smoke");
        int Number(string flag, int normal, int small)
        {
            var i = Array.IndexOf(args, flag);
            return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : smoke ? small : normal;
        }
        string Text(string flag, string normal)
        {
            var i = Array.IndexOf(args, flag);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : normal;
        }
        var scenarios = args.Where(AllScenarios.Contains).ToList();
        var settings = args.Select((a, i) => (a, i)).Where(x => x.a == "--set" && x.i + 1 < args.Length)
            .Select(x => args[x.i + 1].Split('=', 2)).ToDictionary(kv => kv[0], kv => (string?)kv[1]);
        return new BenchOptions(
            scenarios.Count > 0 ? scenarios : AllScenarios,
            args.Contains("--kafka"),
            Number("--events", 100_000, 2_000),
            Number("--fire-events", 50_000, 2_000),
            Number("--herd-events", 100_000, 5_000),
            Number("--rate", 1_000, 200),
            Number("--seconds", 30, 3),
            Number("--destinations", 10, 4),
            Number("--limit", 64, 16),
            Number("--clients", 8, 4),
            Number("--silos", 1, 1),
            Number("--warmup", 20_000, 500),
            Text("--out", Path.Combine("artifacts", "bench", smoke ? "smoke.json" : "results.json")),
            settings);
    }
}
