using System.Reflection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Orchestrator.Grains.Storage;

/// <summary>
/// Applies the ordered migrations in sql/ (embedded in this assembly) that the database
/// has not seen, in one transaction under an advisory lock, so that any number of
/// silos and API nodes may start at once.
/// </summary>
public sealed class SchemaMigrator(NpgsqlDataSource dataSource, ILogger<SchemaMigrator> logger)
{
    private const long MigrationLockKey = 0x4F5243484D4947; // "ORCHMIG"

    private static readonly IReadOnlyList<(string Version, string Sql)> Migrations = LoadMigrations();

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await Execute(connection, "SELECT pg_advisory_xact_lock(@key)", cancellationToken, ("key", MigrationLockKey));
        await Execute(connection, """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    text        PRIMARY KEY,
                applied_at timestamptz NOT NULL DEFAULT now())
            """, cancellationToken);

        var applied = await AppliedVersionsAsync(connection, cancellationToken);
        foreach (var (version, sql) in Migrations.Where(m => !applied.Contains(m.Version)))
        {
            await Execute(connection, sql, cancellationToken);
            await Execute(connection, "INSERT INTO schema_migrations (version) VALUES (@version)", cancellationToken, ("version", version));
            logger.LogInformation("Applied migration {Version}", version);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>True when every migration this build knows has been applied.</summary>
    public async Task<bool> IsMigratedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var exists = new NpgsqlCommand("SELECT to_regclass('schema_migrations') IS NOT NULL", connection))
        {
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
            {
                return false;
            }
        }
        var applied = await AppliedVersionsAsync(connection, cancellationToken);
        return Migrations.All(m => applied.Contains(m.Version));
    }

    private static async Task<HashSet<string>> AppliedVersionsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var versions = new HashSet<string>(StringComparer.Ordinal);
        await using var command = new NpgsqlCommand("SELECT version FROM schema_migrations", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            versions.Add(reader.GetString(0));
        }
        return versions;
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static List<(string, string)> LoadMigrations()
    {
        var assembly = Assembly.GetExecutingAssembly();
        var migrations = assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith("sql/", StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(name =>
            {
                using var stream = assembly.GetManifestResourceStream(name)!;
                using var reader = new StreamReader(stream);
                return (Path.GetFileNameWithoutExtension(name), reader.ReadToEnd());
            })
            .ToList();
        if (migrations.Count == 0)
        {
            throw new InvalidOperationException("No migrations are embedded: the build lost sql/*.sql.");
        }
        return migrations;
    }
}
