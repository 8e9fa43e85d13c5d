namespace Orchestrator.Bench.Product;

/// <summary>
/// CPU time used by the silos, by PostgreSQL (every process named postgres) and by the bench
/// itself (client and sink), read from /proc. On a shared machine throughput swings with
/// whatever else runs; CPU spent per delivery does not, so tuning is judged by it.
/// </summary>
public sealed class CpuMeter(IReadOnlyList<int> siloProcessIds)
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    public sealed record Reading(double SiloSeconds, double PostgresSeconds, double BenchSeconds)
    {
        public static Reading operator -(Reading a, Reading b) =>
            new(a.SiloSeconds - b.SiloSeconds, a.PostgresSeconds - b.PostgresSeconds, a.BenchSeconds - b.BenchSeconds);
    }

    public Reading Read() => new(
        siloProcessIds.Sum(ProcessSeconds),
        Directory.EnumerateDirectories("/proc").Select(d => Path.GetFileName(d))
            .Where(name => name.All(char.IsAsciiDigit)).Select(int.Parse)
            .Where(pid => Command(pid) == "postgres").Sum(ProcessSeconds),
        Environment.ProcessId is var self ? ProcessSeconds(self) : 0);

    private static string? Command(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>utime + stime of a process (all its threads), in seconds; 0 if it is gone.</summary>
    private static double ProcessSeconds(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return 0;
        }
        // The command may contain spaces; fields are counted from the closing parenthesis.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11]) + long.Parse(fields[12])) / TicksPerSecond;
    }
}
