using Microsoft.Extensions.Configuration;
using Npgsql;
using Orchestrator.Grains.Configuration;

namespace Orchestrator.Bench.Product;

/// <summary>A fresh database for one bench run on the server DB_* names; dropped afterwards.</summary>
public sealed class BenchDatabase : IAsyncDisposable
{
    private static readonly DatabaseOptions Server = DatabaseOptions.FromConfiguration(new ConfigurationBuilder().AddEnvironmentVariables().Build());
    private NpgsqlDataSource _dataSource = null!;

    public string Name { get; } = $"orch_bench_{DateTime.UtcNow:yyyyMMddHHmmss}";

    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["DB_HOST"] = Server.Host,
        ["DB_PORT"] = Server.Port.ToString(),
        ["DB_NAME"] = Name,
        ["DB_USER"] = Server.User,
        ["DB_PASSWORD"] = Server.Password,
    };

    public async Task CreateAsync()
    {
        await using (var admin = NpgsqlDataSource.Create(Server.ConnectionString))
        await using (var create = admin.CreateCommand($"CREATE DATABASE \"{Name}\""))
        {
            await create.ExecuteNonQueryAsync();
        }
        _dataSource = NpgsqlDataSource.Create((Server with { Name = Name, MaxPoolSize = 4 }).ConnectionString);
    }

    /// <summary>Events stored so far (the bench may count; the product never does per call).</summary>
    public async Task<long> CountEventsAsync(string where = "true")
    {
        await using var command = _dataSource.CreateCommand($"SELECT count(*) FROM events WHERE {where}");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async Task TruncateEventsAsync()
    {
        await using var command = _dataSource.CreateCommand("TRUNCATE events, idempotency_keys");
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = NpgsqlDataSource.Create(Server.ConnectionString);
        await using var drop = admin.CreateCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
        await drop.ExecuteNonQueryAsync();
    }
}
