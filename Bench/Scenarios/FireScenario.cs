using Orchestrator.Bench.Load;
using Spectre.Console;

namespace Orchestrator.Bench.Scenarios;

/// <summary>
/// N events due at the same instant across the sink's destinations: how fast they drain, and
/// whether any arrives twice. Used for both "fire" (deliveries/s) and "herd" (100,000 due in one
/// second, drain time, the highest concurrency any destination saw against its limit).
/// </summary>
public static class FireScenario
{
    public static async Task<ScenarioResult> RunAsync(BenchContext bench, string name, int count, int destinationLimit, bool herd, ProgressContext progress)
    {
        await bench.Database.TruncateEventsAsync();
        bench.Sink.Reset(count);
        // Far enough ahead that every event is stored before the instant comes.
        var due = DateTimeOffset.UtcNow.AddSeconds(5 + count / 8_000.0);
        var submitting = progress.AddTask($"{name}: scheduling {count:N0} for {due:HH:mm:ss.fff}", maxValue: count);
        await new EventLoad(bench.Client, bench.Clients).SubmitAsync(0, count,
            n => (bench.Sink.Destinations[n % bench.Sink.Destinations.Count], herd ? due.AddMilliseconds(n % 1000) : due),
            accepted => submitting.Increment(accepted), CancellationToken.None);
        var storedBeforeDue = DateTimeOffset.UtcNow < due;
        var cpuBefore = bench.Cpu.Read();
        var delivering = progress.AddTask($"{name}: delivered", maxValue: count);
        var complete = await BenchContext.WaitAsync(delivering, () => Task.FromResult((double)bench.Sink.Received), count, TimeSpan.FromMinutes(5));
        var cpu = bench.Cpu.Read() - cpuBefore;
        var drain = TimeSpan.FromMilliseconds(bench.Sink.LastArrivalMs - due.ToUnixTimeMilliseconds());
        var rate = count / drain.TotalSeconds;
        var arrivals = bench.Sink.ArrivalsMs();
        if (Environment.GetEnvironmentVariable("BENCH_ARRIVALS") is { } dump)
        {
            File.WriteAllLines(dump, arrivals.Select(a => (a - due.ToUnixTimeMilliseconds()).ToString()));
        }
        var measurements = new List<Measurement>
        {
            new("events", count, ""),
            new("stored before due", storedBeforeDue ? 1 : 0, "bool"),
            new("drain time", drain.TotalSeconds, "s", herd ? "≤ 15" : null, herd ? complete && drain.TotalSeconds <= 15 : null),
            new("deliveries", rate, "events/s", herd ? null : "≥ 10,000", herd ? null : complete && rate >= 10_000),
            new("first delivery after due", arrivals.Length > 0 ? arrivals[0] - due.ToUnixTimeMilliseconds() : double.NaN, "ms"),
            new("steady rate (10–90 % delivered)", SteadyRate(arrivals), "events/s"),
            new("silo CPU per delivery", cpu.SiloSeconds * 1e6 / count, "µs"),
            new("PostgreSQL CPU per delivery", cpu.PostgresSeconds * 1e6 / count, "µs"),
            new("bench (sink) CPU per delivery", cpu.BenchSeconds * 1e6 / count, "µs"),
            new("duplicates", bench.Sink.Duplicates, "", "0", bench.Sink.Duplicates == 0),
            new("max concurrency per destination", bench.Sink.MaxConcurrency, "", $"≤ {destinationLimit}", bench.Sink.MaxConcurrency <= destinationLimit),
        };
        if (!complete)
        {
            measurements.Add(new Measurement("delivered", bench.Sink.Received, "events", count.ToString(), false));
        }
        return new ScenarioResult(name, measurements);
    }

    /// <summary>Deliveries per second between the 10th and the 90th percent to arrive: the rate without start-up and tail.</summary>
    private static double SteadyRate(long[] arrivals)
    {
        if (arrivals.Length < 10)
        {
            return double.NaN;
        }
        var first = arrivals.Length / 10;
        var last = arrivals.Length * 9 / 10;
        var seconds = (arrivals[last] - arrivals[first]) / 1000.0;
        return seconds > 0 ? (last - first) / seconds : double.NaN;
    }
}
