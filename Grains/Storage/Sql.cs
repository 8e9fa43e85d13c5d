using Npgsql;

namespace Orchestrator.Grains.Storage;

/// <summary>
/// Builds commands with positional parameters ($1, $2, …). A lone array argument must be
/// cast to object, or C# spreads it into the params array.
/// </summary>
internal static class Sql
{
    public static NpgsqlCommand Command(NpgsqlDataSource dataSource, string sql, params object?[] values) =>
        WithParameters(dataSource.CreateCommand(sql), values);

    public static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, params object?[] values) =>
        WithParameters(new NpgsqlCommand(sql, connection, transaction), values);

    private static NpgsqlCommand WithParameters(NpgsqlCommand command, object?[] values)
    {
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }
        return command;
    }
}
