using Orchestrator.Bench.Product;
using Orchestrator.Bench.Sink;
using Spectre.Console;

namespace Orchestrator.Bench.Scenarios;

/// <summary>What every scenario works with: the product, its database, the sink, a client.</summary>
public sealed record BenchContext(ProductProcess Product, BenchDatabase Database, DeliverySink Sink, HttpClient Client, int Clients, CpuMeter Cpu)
{
    /// <summary>Polls until the condition holds, advancing a progress bar; false on timeout.</summary>
    public static async Task<bool> WaitAsync(ProgressTask task, Func<Task<double>> progress, double goal, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var value = await progress();
            task.Value = Math.Min(value, goal);
            if (value >= goal)
            {
                return true;
            }
            await Task.Delay(50);
        }
        return false;
    }
}
