using Npgsql;

namespace Orchestrator.Tests.Infrastructure;

/// <summary>A throwaway database for one test class, with the queries tests check state with.</summary>
public sealed class TestDatabase : IAsyncLifetime
{
    private readonly ThrowawayDatabase _database = new("orch_test");

    public string Name => _database.Name;

    public NpgsqlDataSource DataSource => _database.DataSource;

    public IReadOnlyDictionary<string, string?> Settings => _database.Settings;

    public Task InitializeAsync() => _database.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    public async Task<T> ScalarAsync<T>(string sql, params object[] values)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Waits until <paramref name="count"/> silos have registered (so the schema exists too).</summary>
    public Task WaitForAliveSilosAsync(int count) =>
        Eventually.TrueAsync(async () =>
        {
            try
            {
                return await ScalarAsync<long>("SELECT count(*) FROM silos WHERE status = 'ALIVE'") >= count;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
            {
                return false;
            }
        }, $"{count} silos to register", TimeSpan.FromSeconds(60));

    public Task<long> CountEventsAsync(string where = "true") => ScalarAsync<long>($"SELECT count(*) FROM events WHERE {where}");
}
