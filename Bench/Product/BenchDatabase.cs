using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Bench.Product;

/// <summary>A throwaway database for one bench run, with the two queries the bench needs.</summary>
public sealed class BenchDatabase : IAsyncDisposable
{
    private readonly ThrowawayDatabase _database = new("orch_bench");

    public IReadOnlyDictionary<string, string?> Settings => _database.Settings;

    public Task CreateAsync() => _database.CreateAsync();

    /// <summary>Events stored so far (the bench may count; the product never does per call).</summary>
    public async Task<long> CountEventsAsync(string where = "true")
    {
        await using var command = _database.DataSource.CreateCommand($"SELECT count(*) FROM events WHERE {where}");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async Task TruncateEventsAsync()
    {
        await using var command = _database.DataSource.CreateCommand("TRUNCATE events, idempotency_keys");
        await command.ExecuteNonQueryAsync();
    }

    public ValueTask DisposeAsync() => _database.DisposeAsync();
}
