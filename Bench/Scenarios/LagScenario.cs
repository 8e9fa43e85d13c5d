using System.Diagnostics;
using Orchestrator.Bench.Load;
using Spectre.Console;

namespace Orchestrator.Bench.Scenarios;

/// <summary>
/// A steady R events a second for S seconds, each due 1.5 s after it is submitted: how late
/// each is delivered (firing lag plus delivery), p50/p95/p99.
/// </summary>
public static class LagScenario
{
    private static readonly TimeSpan Lead = TimeSpan.FromSeconds(1.5);
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    public static async Task<ScenarioResult> RunAsync(BenchContext bench, int rate, int seconds, ProgressContext progress)
    {
        await bench.Database.TruncateEventsAsync();
        var count = rate * seconds;
        bench.Sink.Reset(count);
        var submitting = progress.AddTask($"lag: {rate:N0}/s for {seconds}s", maxValue: count);
        var load = new EventLoad(bench.Client, 1);
        var perTick = (int)(rate * Tick.TotalSeconds);
        var clock = Stopwatch.StartNew();
        var submissions = new List<Task>();
        for (var tick = 0; tick * perTick < count; tick++)
        {
            var wait = tick * Tick - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }
            var first = tick * perTick;
            submissions.Add(load.SubmitAsync(first, Math.Min(perTick, count - first),
                n => (bench.Sink.Destinations[n % bench.Sink.Destinations.Count], DateTimeOffset.UtcNow + Lead),
                accepted => submitting.Increment(accepted), CancellationToken.None));
        }
        await Task.WhenAll(submissions);
        var delivering = progress.AddTask("lag: delivered", maxValue: count);
        var complete = await BenchContext.WaitAsync(delivering, () => Task.FromResult((double)bench.Sink.Received), count, TimeSpan.FromMinutes(2));
        var lags = bench.Sink.LagsMs().Order().ToArray();
        double Percentile(double p) => lags.Length == 0 ? double.NaN : lags[Math.Min(lags.Length - 1, (int)Math.Ceiling(p * lags.Length) - 1)];
        return new ScenarioResult("lag", [
            new Measurement("rate", rate, "events/s"),
            new Measurement("events", count, ""),
            new Measurement("lag p50", Percentile(0.50), "ms"),
            new Measurement("lag p95", Percentile(0.95), "ms"),
            new Measurement("lag p99", Percentile(0.99), "ms", "≤ 100", complete && Percentile(0.99) <= 100),
            new Measurement("lag max", lags.LastOrDefault(), "ms"),
        ]);
    }
}
