using System.Diagnostics;
using Orchestrator.Bench.Load;
using Spectre.Console;

namespace Orchestrator.Bench.Scenarios;

/// <summary>N events through the batch endpoint as fast as accepted, until all are persisted.</summary>
public static class IngestScenario
{
    public static async Task<ScenarioResult> RunAsync(BenchContext bench, int count, ProgressContext progress)
    {
        await bench.Database.TruncateEventsAsync();
        var submitting = progress.AddTask($"ingest: submitting {count:N0}", maxValue: count);
        var persisting = progress.AddTask($"ingest: persisted", maxValue: count);
        var due = DateTimeOffset.UtcNow.AddDays(1); // never fires during the run
        var clock = Stopwatch.StartNew();
        var submit = new EventLoad(bench.Client, bench.Clients).SubmitAsync(0, count,
            n => (bench.Sink.Destinations[n % bench.Sink.Destinations.Count], due), accepted => submitting.Increment(accepted), CancellationToken.None);
        var persisted = BenchContext.WaitAsync(persisting, async () => await bench.Database.CountEventsAsync(), count, TimeSpan.FromMinutes(10));
        await submit;
        var acceptedIn = clock.Elapsed;
        var complete = await persisted;
        var persistedIn = clock.Elapsed;
        return new ScenarioResult("ingest", [
            new Measurement("events", count, ""),
            new Measurement("accepted", count / acceptedIn.TotalSeconds, "events/s"),
            new Measurement("persisted", complete ? count / persistedIn.TotalSeconds : 0, "events/s", "≥ 25,000", complete && count / persistedIn.TotalSeconds >= 25_000),
        ]);
    }
}
