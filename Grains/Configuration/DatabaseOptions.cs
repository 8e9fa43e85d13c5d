using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Orchestrator.Grains.Configuration;

/// <summary>Where PostgreSQL is (seed 001's names) and how many connections to hold.</summary>
public sealed record DatabaseOptions(string Host, int Port, string Name, string User, string Password, int MaxPoolSize)
{
    public static DatabaseOptions FromConfiguration(IConfiguration configuration) => new(
        configuration.GetString("DB_HOST", "localhost"),
        configuration.GetInt("DB_PORT", 5432, 1, 65535),
        configuration.GetString("DB_NAME", "orchestrator"),
        configuration.GetString("DB_USER", "orchestrator"),
        configuration.GetString("DB_PASSWORD", "orchestrator"),
        configuration.GetInt("DB_POOL_SIZE", 50, 4, 1000));

    public string ConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = Host,
        Port = Port,
        Database = Name,
        Username = User,
        Password = Password,
        MaxPoolSize = MaxPoolSize,
        // Bulk statements carry arrays of thousands of rows; keep the default timeout generous.
        CommandTimeout = 60,
        ApplicationName = "orchestrator",
    }.ConnectionString;
}
