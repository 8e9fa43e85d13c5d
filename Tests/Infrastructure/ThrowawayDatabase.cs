using Microsoft.Extensions.Configuration;
using Npgsql;
using Orchestrator.Grains.Configuration;

namespace Orchestrator.Tests.Infrastructure;

/// <summary>
/// A fresh PostgreSQL database on the server the environment names (DB_HOST, DB_PORT, DB_USER,
/// DB_PASSWORD; the product's defaults), created for one test class or one bench run and dropped
/// after. Shared by the tests and the bench (linked into Bench).
/// </summary>
public sealed class ThrowawayDatabase(string prefix) : IAsyncDisposable
{
    private static readonly DatabaseOptions Server = DatabaseOptions.FromConfiguration(
        new ConfigurationBuilder().AddEnvironmentVariables().Build());

    public string Name { get; } = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 17, 63)];

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

    public async Task CreateAsync()
    {
        await using (var admin = NpgsqlDataSource.Create(Server.ConnectionString))
        await using (var create = admin.CreateCommand($"CREATE DATABASE \"{Name}\""))
        {
            await create.ExecuteNonQueryAsync();
        }
        DataSource = NpgsqlDataSource.Create((Server with { Name = Name, MaxPoolSize = 10 }).ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        if (DataSource is not null)
        {
            await DataSource.DisposeAsync();
        }
        NpgsqlConnection.ClearAllPools();
        await using var admin = NpgsqlDataSource.Create(Server.ConnectionString);
        // FORCE cannot end an autovacuum worker (a superuser's process) visiting the database;
        // it moves on within moments, so try again until then.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                await using var drop = admin.CreateCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
                await drop.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.ObjectInUse
                                               && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }
}
