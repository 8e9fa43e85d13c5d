using Npgsql;
using Orchestrator.Grains.Configuration;

namespace Orchestrator.Tests.Infrastructure;

/// <summary>
/// A fresh PostgreSQL database for one test class, on the server the environment names
/// (DB_HOST, DB_PORT, DB_USER, DB_PASSWORD; the same defaults as the product). Dropped after.
/// </summary>
public sealed class TestDatabase : IAsyncLifetime
{
    private static readonly DatabaseOptions Server = DatabaseOptions.FromConfiguration(
        new ConfigurationBuilder().AddEnvironmentVariables().Build());

    public string Name { get; } = $"orch_test_{Guid.NewGuid():N}"[..30];

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    /// <summary>The settings that point a node at this database.</summary>
    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["DB_HOST"] = Server.Host,
        ["DB_PORT"] = Server.Port.ToString(),
        ["DB_NAME"] = Name,
        ["DB_USER"] = Server.User,
        ["DB_PASSWORD"] = Server.Password,
    };

    public async Task InitializeAsync()
    {
        await using (var admin = NpgsqlDataSource.Create(Server.ConnectionString))
        await using (var create = admin.CreateCommand($"CREATE DATABASE \"{Name}\""))
        {
            await create.ExecuteNonQueryAsync();
        }
        DataSource = NpgsqlDataSource.Create((Server with { Name = Name, MaxPoolSize = 10 }).ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = NpgsqlDataSource.Create(Server.ConnectionString);
        // FORCE cannot end an autovacuum worker (a superuser's process) visiting the database;
        // it moves on within moments, so try again until then.
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                await using var drop = admin.CreateCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
                await drop.ExecuteNonQueryAsync();
                return true;
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.ObjectInUse)
            {
                return false;
            }
        }, $"database {Name} to be dropped");
    }

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
